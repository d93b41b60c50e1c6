import type { Fault, MethodStep } from '../src/scenario';
import { defineScenario } from '../src/scenario';
import { adminStockWrite, clientErrors, ordersFinishing, steady } from './probes';

/** What a game day may throw at the shop: every fault the shop is designed to ride out. */
const pool: Fault[] = [
  { kind: 'toxic', proxies: ['orders-postgres'], toxic: { type: 'latency', attributes: { latency: 100, jitter: 50 } } },
  {
    kind: 'toxic',
    proxies: ['gateway-catalog-2'],
    toxic: { type: 'reset_peer', toxicity: 0.3, attributes: { timeout: 50 } },
  },
  { kind: 'toxic', proxies: ['payments-rabbitmq'], toxic: { type: 'bandwidth', attributes: { rate: 16 } } },
  { kind: 'toxic', proxies: ['notifications-postgres'], toxic: { type: 'slow_close', attributes: { delay: 1_000 } } },
  {
    kind: 'toxic',
    proxies: ['catalog-postgres-replica'],
    toxic: { type: 'slicer', attributes: { average_size: 128, size_variation: 64, delay: 100 } },
  },
  { kind: 'disable', proxies: ['notifications-rabbitmq'] },
  { kind: 'kill', process: 'notifications' },
  { kind: 'kill', process: 'catalog-2' },
  { kind: 'pause', process: 'payments' },
];

/** Three distinct faults from the pool, each at a random time for a random stretch of the fault phase. */
function draw(random: () => number): MethodStep[] {
  const left = [...pool];
  return [0, 1, 2].map(() => {
    const fault = left.splice(Math.floor(random() * left.length), 1)[0] as Fault;
    const at = Math.round(random() * 50) / 100;
    const until = Math.min(1, at + 0.25 + Math.round(random() * 40) / 100);
    return { at, until, fault };
  });
}

export default defineScenario({
  name: 'game-day',
  title: { en: 'Game day: three seeded random faults', 'pt-BR': 'Dia de jogo: três falhas aleatórias com semente' },
  hypothesis: {
    en: 'Whatever three faults the seed draws from the pool (latency, resets, a squeezed or cut broker link, slow closes, sliced packets, a killed notifications or catalog instance, a paused payments process), checkout keeps accepting orders, the shop returns to its steady state, and no invariant breaks.',
    'pt-BR':
      'Quaisquer três falhas que a semente sorteie do conjunto (latência, conexões reiniciadas, link do broker estreito ou cortado, fechamentos lentos, pacotes fatiados, uma instância de notificações ou catálogo derrubada, pagamentos pausado), o checkout continua aceitando pedidos, a loja volta ao estado estável e nenhum invariante quebra.',
  },
  proves: {
    en: 'Resilience beyond the scripted cases: combinations nobody planned, reproducible by seed.',
    'pt-BR': 'Resiliência além dos casos roteirizados: combinações não planejadas, reproduzíveis pela semente.',
  },
  load: { script: 'journey', rate: 4, adminRate: 1 },
  phases: { baselineS: 30, faultS: 60, recoveryS: 50 },
  probes: [
    clientErrors({ ...steady({ max: 0.01 }), fault: { max: 0.05, mode: 'all' } }, 'POST /api/orders'),
    ordersFinishing({ ...steady({ min: 0.5 }) }),
    // A killed catalog instance or a slow primary may be drawn: the catalog's writes must work again after.
    clientErrors(steady({ max: 0.01 }), adminStockWrite),
  ],
  method: draw,
});
