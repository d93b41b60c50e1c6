import { defineScenario } from '../src/scenario';
import {
  clientErrors,
  dependencyReachable,
  ordersFinishing,
  replicaStreaming,
  steady,
  unexpectedServerErrors,
} from './probes';

export default defineScenario({
  name: 'database-crash',
  title: { en: 'Postgres primary killed', 'pt-BR': 'Postgres primário derrubado' },
  hypothesis: {
    en: 'When the Postgres primary is killed with SIGKILL under load and started again 10 s later (crash recovery from its WAL), browsing keeps answering from the replica, what needs the primary is refused fast with 503 and Retry-After (never a 500 or a timeout), no service process exits, the replica resumes streaming, and checkout and the saga recover by themselves with every accepted order completed.',
    'pt-BR':
      'Quando o Postgres primário é derrubado com SIGKILL sob carga e reiniciado 10 s depois (recuperação pelo WAL), a navegação continua respondendo pela réplica, o que precisa do primário é recusado rápido com 503 e Retry-After (nunca 500 nem timeout), nenhum processo de serviço termina, a réplica volta a replicar, e o checkout e a saga se recuperam sozinhos com todo pedido aceito concluído.',
  },
  proves: {
    en: 'A database crash costs availability of writes for its length, never data nor a process: every client of the database outlives it.',
    'pt-BR':
      'A queda do banco custa a disponibilidade das escritas enquanto dura, nunca dados nem processos: todo cliente do banco sobrevive a ela.',
  },
  load: { script: 'journey', rate: 4 },
  phases: { baselineS: 30, faultS: 30, recoveryS: 60 },
  probes: [
    clientErrors({ ...steady({ max: 0.01 }), fault: { max: 0.01, mode: 'all' } }, 'GET /api/products'),
    clientErrors({ ...steady({ max: 0.01 }) }, 'POST /api/orders'),
    unexpectedServerErrors({ ...steady({ max: 0 }), fault: { max: 0.01, mode: 'all' } }),
    dependencyReachable('postgres', { ...steady({ min: 1 }), fault: { max: 0, mode: 'any' } }),
    replicaStreaming({ ...steady({ min: 1 }), fault: { max: 0, mode: 'any' } }),
    ordersFinishing({ ...steady({ min: 0.5 }) }),
  ],
  method: [{ at: 0, until: 1 / 3, fault: { kind: 'kill', process: 'postgres-primary' } }],
});
