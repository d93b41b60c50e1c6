import { defineScenario } from '../src/scenario';
import { clientErrors, dependencyReachable, ordersFinishing, outboxBacklog, steady } from './probes';

export default defineScenario({
  name: 'broker-crash',
  title: { en: 'RabbitMQ node killed', 'pt-BR': 'Nó do RabbitMQ derrubado' },
  hypothesis: {
    en: 'When the RabbitMQ node itself is killed with SIGKILL under load and started again 15 s later, checkout keeps accepting orders without errors (the outboxes hold the events), no service process exits, every service reconnects by itself, and every accepted order completes once the broker is back.',
    'pt-BR':
      'Quando o próprio nó do RabbitMQ é derrubado com SIGKILL sob carga e reiniciado 15 s depois, o checkout continua aceitando pedidos sem erros (os outboxes guardam os eventos), nenhum processo de serviço termina, todo serviço reconecta sozinho, e todo pedido aceito é concluído quando o broker volta.',
  },
  proves: {
    en: 'A real broker crash (not a cut link) is ridden out: durable quorum queues, publisher confirms and the outbox lose nothing.',
    'pt-BR':
      'Uma queda real do broker (não só um link cortado) é absorvida: filas quorum duráveis, confirmações de publicação e o outbox não perdem nada.',
  },
  load: { script: 'journey', rate: 4 },
  phases: { baselineS: 30, faultS: 30, recoveryS: 60 },
  probes: [
    clientErrors({ ...steady({ max: 0.01 }), fault: { max: 0.01, mode: 'all' } }, 'POST /api/orders'),
    dependencyReachable('rabbitmq', { ...steady({ min: 1 }), fault: { max: 0, mode: 'any' } }),
    outboxBacklog({ recovery: { max: 5, mode: 'last' } }),
    ordersFinishing({ ...steady({ min: 0.5 }), fault: { max: 0.2, mode: 'any' } }),
  ],
  method: [{ at: 0, until: 0.5, fault: { kind: 'kill', process: 'rabbitmq' } }],
});
