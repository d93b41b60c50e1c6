import { defineScenario } from '../src/scenario';
import {
  adminStockWrite,
  clientErrors,
  gatewayP95,
  latencySteady,
  ordersFinishing,
  steady,
  stockReservations,
} from './probes';

const writers = ['orders-postgres', 'catalog-postgres-primary', 'payments-postgres'];

export default defineScenario({
  name: 'db-latency',
  title: { en: 'Slow primary database', 'pt-BR': 'Banco de dados primário lento' },
  hypothesis: {
    en: 'With 150 ms (±30 ms) added to every reply from the Postgres primary, checkouts get slower but none fails, orders keep completing, and latency returns to its baseline once the delay is gone.',
    'pt-BR':
      'Com 150 ms (±30 ms) somados a cada resposta do Postgres primário, as compras ficam mais lentas mas nenhuma falha, os pedidos continuam sendo concluídos e a latência volta ao normal quando o atraso some.',
  },
  proves: {
    en: 'Database latency degrades speed, not correctness: no errors, no lost orders.',
    'pt-BR': 'Latência no banco degrada a velocidade, não a correção: sem erros, sem pedidos perdidos.',
  },
  load: { script: 'journey', rate: 4, adminRate: 1 },
  phases: { baselineS: 30, faultS: 40, recoveryS: 40 },
  probes: [
    clientErrors({ ...steady({ max: 0.01 }), fault: { max: 0.01, mode: 'all' } }),
    gatewayP95({ ...latencySteady({ usable: 1, times: 2, margin: 0.25 }), fault: { max: 5, mode: 'all' } }),
    ordersFinishing({ ...steady({ min: 0.5 }), fault: { min: 0.5, mode: 'all' } }),
    // The slow primary is every service's write path: the catalog's writes must keep succeeding too.
    clientErrors({ ...steady({ max: 0.01 }), fault: { max: 0.01, mode: 'all' } }, adminStockWrite),
    stockReservations({ ...steady({ min: 0.5 }), fault: { min: 0.5, mode: 'all' } }),
  ],
  method: [
    {
      at: 0,
      fault: { kind: 'toxic', proxies: writers, toxic: { type: 'latency', attributes: { latency: 150, jitter: 30 } } },
    },
  ],
});
