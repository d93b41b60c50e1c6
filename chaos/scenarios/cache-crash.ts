import { defineScenario } from '../src/scenario';
import { breakerState, clientErrors, dependencyReachable, ordersFinishing, steady } from './probes';

export default defineScenario({
  name: 'cache-crash',
  title: { en: 'Redis killed', 'pt-BR': 'Redis derrubado' },
  hypothesis: {
    en: 'When Redis is killed with SIGKILL under load and started again 10 s later, browsing is untouched, cart requests are refused fast (503, breaker open) instead of hanging, the carts come back from the append-only file with at most about one second of acknowledged cart writes lost (appendfsync everysec), and the shop returns to its steady state by itself.',
    'pt-BR':
      'Quando o Redis é derrubado com SIGKILL sob carga e reiniciado 10 s depois, a navegação não é afetada, as requisições do carrinho são recusadas rápido (503, disjuntor aberto) em vez de travar, os carrinhos voltam do arquivo append-only perdendo no máximo cerca de um segundo de escritas confirmadas (appendfsync everysec), e a loja volta sozinha ao estado estável.',
  },
  proves: {
    en: 'What a cache crash costs is stated and measured: the carts survive, minus at most the last second of writes.',
    'pt-BR':
      'O custo da queda do cache é declarado e medido: os carrinhos sobrevivem, menos no máximo o último segundo de escritas.',
  },
  load: { script: 'journey', rate: 4 },
  phases: { baselineS: 30, faultS: 30, recoveryS: 50 },
  probes: [
    clientErrors({ ...steady({ max: 0.01 }), fault: { max: 0.01, mode: 'all' } }, 'GET /api/products'),
    clientErrors({ ...steady({ max: 0.01 }) }, 'POST /api/cart/items'),
    dependencyReachable('redis', { ...steady({ min: 1 }), fault: { max: 0, mode: 'any' } }),
    breakerState('cart-redis', { ...steady({ max: 0 }), fault: { min: 2, mode: 'any' } }),
    ordersFinishing({ ...steady({ min: 0.5 }) }),
  ],
  method: [{ at: 0, until: 1 / 3, fault: { kind: 'kill', process: 'redis' } }],
  losses: ['cart-writes'],
});
