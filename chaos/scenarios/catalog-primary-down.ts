import { defineScenario } from '../src/scenario';
import { adminStockWrite, clientErrors, ordersFinishing, replicaInUse, steady, stockReservations } from './probes';

export default defineScenario({
  name: 'catalog-primary-down',
  title: { en: 'Catalog loses its primary database', 'pt-BR': 'Catálogo perde o banco primário' },
  hypothesis: {
    en: 'While the catalog cannot reach the Postgres primary, browsing keeps answering from the streaming replica without errors; stock reservations wait and retry, and every accepted order completes once the primary is back; the catalog’s own writes (reservations, admin stock writes), refused while the primary is away, work again once it is back.',
    'pt-BR':
      'Enquanto o catálogo não alcança o Postgres primário, a navegação continua respondendo pela réplica sem erros; as reservas de estoque esperam e tentam de novo, e todo pedido aceito é concluído quando o primário volta; as escritas do próprio catálogo (reservas, escritas de estoque do administrador), recusadas enquanto o primário está fora, voltam a funcionar quando ele volta.',
  },
  proves: {
    en: 'Reads survive a primary outage on the replica; writes are delayed, never lost.',
    'pt-BR': 'Leituras sobrevivem à queda do primário pela réplica; escritas atrasam, nunca se perdem.',
  },
  load: { script: 'journey', rate: 4, adminRate: 1 },
  phases: { baselineS: 30, faultS: 30, recoveryS: 40 },
  probes: [
    clientErrors({ ...steady({ max: 0.01 }), fault: { max: 0.01, mode: 'all' } }, 'GET /api/products'),
    clientErrors({ ...steady({ max: 0.01 }), fault: { max: 0.01, mode: 'all' } }, 'GET /api/products/:id'),
    ordersFinishing({ ...steady({ min: 0.5 }) }),
    replicaInUse({ ...steady({ min: 1 }), fault: { min: 1, mode: 'all' } }),
    // The write path: refused while the primary is away (the fault landed on it), working again after.
    clientErrors({ ...steady({ max: 0.01 }), fault: { min: 0.5, mode: 'any' } }, adminStockWrite),
    stockReservations({ ...steady({ min: 0.5 }), fault: { max: 0.2, mode: 'any' } }),
  ],
  method: [{ at: 0, fault: { kind: 'disable', proxies: ['catalog-postgres-primary'] } }],
});
