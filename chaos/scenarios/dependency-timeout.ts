import { defineScenario } from '../src/scenario';
import { breakerState, clientErrors, steady } from './probes';

export default defineScenario({
  name: 'dependency-timeout',
  title: { en: 'Catalog hangs for the orders service', 'pt-BR': 'Catálogo trava para o serviço de pedidos' },
  hypothesis: {
    en: 'When calls from orders to the catalog hang (no answer, connection kept open), the orders-catalog circuit breaker opens and checkout fails fast with 503 instead of piling up waiting requests; once the catalog answers again the breaker half-opens, closes, and checkout recovers.',
    'pt-BR':
      'Quando as chamadas de pedidos ao catálogo travam (sem resposta, conexão aberta), o disjuntor orders-catalog abre e o checkout falha rápido com 503 em vez de acumular requisições esperando; quando o catálogo volta a responder o disjuntor semiabre, fecha, e o checkout se recupera.',
  },
  proves: {
    en: 'A circuit breaker turns a hung dependency into fast, bounded failures, and closes by itself.',
    'pt-BR': 'Um disjuntor transforma uma dependência travada em falhas rápidas e limitadas, e se fecha sozinho.',
  },
  load: { script: 'journey', rate: 4 },
  phases: { baselineS: 30, faultS: 30, recoveryS: 40 },
  probes: [
    breakerState('orders-catalog', { ...steady({ max: 0 }), fault: { min: 2, mode: 'any' } }),
    clientErrors({ ...steady({ max: 0.01 }) }, 'POST /api/orders'),
    clientErrors({ ...steady({ max: 0.01 }), fault: { max: 0.01, mode: 'all' } }, 'GET /api/products'),
  ],
  method: [
    {
      at: 0,
      fault: {
        kind: 'toxic',
        proxies: ['orders-catalog-1', 'orders-catalog-2'],
        toxic: { type: 'timeout', attributes: { timeout: 0 } },
      },
    },
  ],
});
