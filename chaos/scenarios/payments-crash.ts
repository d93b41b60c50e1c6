import { defineScenario } from '../src/scenario';
import { clientErrors, ordersFinishing, steady } from './probes';

export default defineScenario({
  name: 'payments-crash',
  title: { en: 'Payments killed mid-load', 'pt-BR': 'Pagamentos derrubado sob carga' },
  hypothesis: {
    en: 'When the payments service is killed with SIGKILL under load and restarted 15 s later, checkout keeps accepting orders without errors, the orders caught in flight are paid exactly once after the restart, and none is lost.',
    'pt-BR':
      'Quando o serviço de pagamentos é derrubado com SIGKILL sob carga e reiniciado 15 s depois, o checkout continua aceitando pedidos sem erros, os pedidos em andamento são cobrados exatamente uma vez após o reinício, e nenhum se perde.',
  },
  proves: {
    en: 'At-least-once delivery plus an idempotent consumer gives exactly-once charging across a crash.',
    'pt-BR':
      'Entrega pelo menos uma vez mais consumidor idempotente resulta em cobrança exatamente uma vez, mesmo com uma queda.',
  },
  load: { script: 'journey', rate: 4 },
  phases: { baselineS: 30, faultS: 30, recoveryS: 40 },
  probes: [
    clientErrors({ ...steady({ max: 0.01 }), fault: { max: 0.01, mode: 'all' } }, 'POST /api/orders'),
    ordersFinishing({ ...steady({ min: 0.5 }) }),
  ],
  method: [{ at: 0, until: 0.5, fault: { kind: 'kill', process: 'payments' } }],
});
