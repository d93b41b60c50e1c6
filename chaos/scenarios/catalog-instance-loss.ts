import { defineScenario } from '../src/scenario';
import { adminStockWrite, clientErrors, gatewayP95, latencySteady, steady } from './probes';

export default defineScenario({
  name: 'catalog-instance-loss',
  title: { en: 'One catalog instance lost', 'pt-BR': 'Perda de uma instância do catálogo' },
  hypothesis: {
    en: 'When one of the two catalog instances is killed, the gateway retries its idempotent reads on the other and ejects the dead one: browsing sees (almost) no errors and latency stays low; admin stock writes, repeated on the other instance, keep succeeding.',
    'pt-BR':
      'Quando uma das duas instâncias do catálogo é derrubada, o gateway repete as leituras idempotentes na outra e a exclui do balanceamento: a navegação (quase) não vê erros e a latência continua baixa; as escritas de estoque do administrador, repetidas na outra instância, continuam dando certo.',
  },
  proves: {
    en: 'Two instances plus retries and ejection make one instance crash invisible to readers.',
    'pt-BR': 'Duas instâncias com novas tentativas e exclusão tornam a queda de uma invisível para quem lê.',
  },
  load: { script: 'browse', rate: 8, adminRate: 1 },
  phases: { baselineS: 30, faultS: 30, recoveryS: 40 },
  probes: [
    clientErrors({ ...steady({ max: 0.01 }), fault: { max: 0.02, mode: 'all' } }),
    gatewayP95({
      ...latencySteady({ usable: 1, times: 2, margin: 0.25 }),
      fault: { max: 0.4, mode: 'all', ofBaseline: { times: 2 } },
    }),
    clientErrors({ ...steady({ max: 0.01 }), fault: { max: 0.01, mode: 'all' } }, adminStockWrite),
  ],
  method: [{ at: 0, fault: { kind: 'kill', process: 'catalog-1' } }],
});
