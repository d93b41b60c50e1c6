import { defineScenario } from '../src/scenario';
import { adminStockWrite, clientErrors, gatewayP95, latencySteady, steady } from './probes';

export default defineScenario({
  name: 'bandwidth-squeeze',
  title: { en: 'Narrow, chopped network to the catalog', 'pt-BR': 'Rede estreita e fatiada até o catálogo' },
  hypothesis: {
    en: 'With the links from the gateway to both catalog instances squeezed to 64 KB/s and the catalog’s replica traffic sliced into small delayed packets, product listings get slower but stay correct (errors under 1 %), and latency returns to baseline afterwards.',
    'pt-BR':
      'Com os links do gateway para as duas instâncias do catálogo limitados a 64 KB/s e o tráfego da réplica fatiado em pacotes pequenos e atrasados, as listagens ficam mais lentas mas continuam corretas (erros abaixo de 1 %), e a latência volta ao normal depois.',
  },
  proves: {
    en: 'A degraded network slows responses without breaking them; timeouts are long enough for a slow link.',
    'pt-BR': 'Uma rede degradada deixa as respostas lentas sem quebrá-las; os timeouts comportam um link lento.',
  },
  load: { script: 'browse', rate: 6, adminRate: 1 },
  phases: { baselineS: 30, faultS: 30, recoveryS: 40 },
  probes: [
    clientErrors({ ...steady({ max: 0.01 }), fault: { max: 0.01, mode: 'all' } }),
    gatewayP95({
      ...latencySteady({ usable: 1, times: 2, margin: 0.25 }),
      fault: { min: 0.05, mode: 'any', ofBaseline: { times: 1 } },
    }),
    // The squeezed links carry the catalog's writes too: they must work again once the links are whole.
    clientErrors(steady({ max: 0.01 }), adminStockWrite),
  ],
  method: [
    {
      at: 0,
      fault: {
        kind: 'toxic',
        proxies: ['gateway-catalog-1', 'gateway-catalog-2'],
        toxic: { type: 'bandwidth', attributes: { rate: 64 } },
      },
    },
    {
      at: 0,
      fault: {
        kind: 'toxic',
        proxies: ['catalog-postgres-replica'],
        toxic: { type: 'slicer', attributes: { average_size: 64, size_variation: 32, delay: 200 } },
      },
    },
  ],
});
