import { defineScenario } from '../src/scenario';
import { adminStockWrite, clientErrors, steady } from './probes';

export default defineScenario({
  name: 'connection-reset',
  title: { en: 'Connections reset and cut short', 'pt-BR': 'Conexões reiniciadas e interrompidas' },
  hypothesis: {
    en: 'When half of the connections from the gateway to one catalog instance are reset (TCP RST) and its database connections are cut after a few kilobytes and closed slowly, idempotent reads are retried on the other instance and pools reconnect: browsing keeps its error rate under 2 %.',
    'pt-BR':
      'Quando metade das conexões do gateway para uma instância do catálogo é reiniciada (TCP RST) e as conexões dela com o banco são cortadas após alguns kilobytes e fechadas lentamente, as leituras idempotentes são repetidas na outra instância e os pools reconectam: a navegação mantém a taxa de erros abaixo de 2 %.',
  },
  proves: {
    en: 'Retries of idempotent calls and self-healing connection pools absorb broken connections.',
    'pt-BR': 'Novas tentativas de chamadas idempotentes e pools que se recuperam absorvem conexões quebradas.',
  },
  load: { script: 'browse', rate: 8, adminRate: 1 },
  phases: { baselineS: 30, faultS: 30, recoveryS: 40 },
  probes: [
    clientErrors({ ...steady({ max: 0.01 }), fault: { max: 0.02, mode: 'all' } }),
    // The gateway's link to catalog-1 carries writes too: they must work again once it is whole.
    clientErrors(steady({ max: 0.01 }), adminStockWrite),
  ],
  method: [
    {
      at: 0,
      fault: {
        kind: 'toxic',
        proxies: ['gateway-catalog-1'],
        toxic: { type: 'reset_peer', toxicity: 0.5, attributes: { timeout: 100 } },
      },
    },
    {
      at: 0,
      fault: {
        kind: 'toxic',
        proxies: ['catalog-postgres-replica'],
        toxic: { type: 'limit_data', toxicity: 0.3, attributes: { bytes: 65_536 } },
      },
    },
    {
      at: 0,
      fault: {
        kind: 'toxic',
        proxies: ['catalog-postgres-replica'],
        toxic: { type: 'slow_close', attributes: { delay: 2_000 } },
      },
    },
  ],
});
