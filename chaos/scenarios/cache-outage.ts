import { defineScenario } from '../src/scenario';
import { breakerState, clientErrors, steady } from './probes';

export default defineScenario({
  name: 'cache-outage',
  title: { en: 'Redis (carts) unreachable', 'pt-BR': 'Redis (carrinhos) inacessível' },
  hypothesis: {
    en: 'With Redis unreachable, only the cart fails, and fast: its circuit breaker opens, product pages keep answering without errors, and carts work again once Redis is back.',
    'pt-BR':
      'Com o Redis inacessível, só o carrinho falha, e rápido: seu disjuntor abre, as páginas de produto continuam respondendo sem erros, e os carrinhos voltam a funcionar quando o Redis volta.',
  },
  proves: {
    en: 'A failed dependency is contained by a circuit breaker: one feature degrades, the shop stays up.',
    'pt-BR': 'Uma dependência com falha é contida por um disjuntor: uma função degrada, a loja continua no ar.',
  },
  load: { script: 'journey', rate: 4 },
  phases: { baselineS: 30, faultS: 30, recoveryS: 40 },
  probes: [
    clientErrors({ ...steady({ max: 0.01 }), fault: { max: 0.01, mode: 'all' } }, 'GET /api/products'),
    clientErrors({ ...steady({ max: 0.01 }) }, 'POST /api/cart/items'),
    breakerState('cart-redis', { ...steady({ max: 0 }), fault: { min: 2, mode: 'any' } }),
  ],
  method: [{ at: 0, fault: { kind: 'disable', proxies: ['cart-redis'] } }],
});
