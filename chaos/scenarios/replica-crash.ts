import { defineScenario } from '../src/scenario';
import { clientErrors, ordersFinishing, replicaInUse, replicaStreaming, steady } from './probes';

export default defineScenario({
  name: 'replica-crash',
  title: { en: 'Postgres replica killed', 'pt-BR': 'Réplica do Postgres derrubada' },
  hypothesis: {
    en: 'When the streaming replica is killed with SIGKILL under load and started again 15 s later, product reads fall back to the primary without errors, checkout is untouched, the replica catches up and resumes streaming, and reads go back to it.',
    'pt-BR':
      'Quando a réplica é derrubada com SIGKILL sob carga e reiniciada 15 s depois, as leituras de produtos passam para o primário sem erros, o checkout não é afetado, a réplica alcança o primário e volta a replicar, e as leituras voltam para ela.',
  },
  proves: {
    en: 'The read replica is an optimisation, not a dependency: losing it costs the primary some reads, never a request.',
    'pt-BR':
      'A réplica de leitura é uma otimização, não uma dependência: perdê-la custa leituras ao primário, nunca uma requisição.',
  },
  load: { script: 'journey', rate: 4 },
  phases: { baselineS: 30, faultS: 30, recoveryS: 50 },
  probes: [
    clientErrors({ ...steady({ max: 0.01 }), fault: { max: 0.01, mode: 'all' } }, 'GET /api/products'),
    clientErrors({ ...steady({ max: 0.01 }), fault: { max: 0.01, mode: 'all' } }, 'POST /api/orders'),
    replicaInUse({ ...steady({ min: 1 }), fault: { max: 0, mode: 'any' } }),
    replicaStreaming({ ...steady({ min: 1 }), fault: { max: 0, mode: 'any' } }),
    ordersFinishing({ ...steady({ min: 0.5 }) }),
  ],
  method: [{ at: 0, until: 0.5, fault: { kind: 'kill', process: 'postgres-replica' } }],
});
