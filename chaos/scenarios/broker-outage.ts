import { defineScenario } from '../src/scenario';
import { clientErrors, ordersFinishing, steady } from './probes';

export default defineScenario({
  name: 'broker-outage',
  title: { en: 'Message broker unreachable', 'pt-BR': 'Broker de mensagens inacessível' },
  hypothesis: {
    en: 'With RabbitMQ unreachable from every service, checkout still accepts orders (202) without errors; the saga pauses (events wait in the outboxes) and every accepted order completes once the broker is back.',
    'pt-BR':
      'Com o RabbitMQ inacessível para todos os serviços, o checkout continua aceitando pedidos (202) sem erros; a saga pausa (os eventos esperam nos outboxes) e todo pedido aceito é concluído quando o broker volta.',
  },
  proves: {
    en: 'The transactional outbox decouples accepting an order from the broker: nothing accepted is lost.',
    'pt-BR': 'O outbox transacional desacopla aceitar o pedido do broker: nada aceito se perde.',
  },
  load: { script: 'journey', rate: 4 },
  phases: { baselineS: 30, faultS: 30, recoveryS: 50 },
  probes: [
    clientErrors({ ...steady({ max: 0.01 }), fault: { max: 0.01, mode: 'all' } }, 'POST /api/orders'),
    ordersFinishing({ ...steady({ min: 0.5 }), fault: { max: 0.2, mode: 'any' } }),
  ],
  method: [
    {
      at: 0,
      fault: {
        kind: 'disable',
        proxies: [
          'orders-rabbitmq',
          'catalog-rabbitmq',
          'payments-rabbitmq',
          'notifications-rabbitmq',
          'cart-rabbitmq',
        ],
      },
    },
  ],
});
