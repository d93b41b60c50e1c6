import type { MethodStep } from '../src/scenario';
import { defineScenario } from '../src/scenario';
import { clientErrors, ordersFinishing, serviceRestarts, steady } from './probes';

/** Every process of the shop; the seed picks the one to crash. */
const services = ['gateway', 'identity', 'catalog-1', 'catalog-2', 'cart', 'orders', 'payments', 'notifications'];

function draw(random: () => number): MethodStep[] {
  const victim = services[Math.floor(random() * services.length)] as string;
  return [{ at: 0.1, fault: { kind: 'crash', process: victim } }];
}

export default defineScenario({
  name: 'service-crash',
  title: { en: 'A service crashes, left to the supervisor', 'pt-BR': 'Um serviço cai, entregue ao supervisor' },
  hypothesis: {
    en: 'When a service chosen by the seed is killed with SIGKILL under load and nothing scripted starts it again, the supervisor (the stack’s in local mode, the restart policy in docker mode) brings it back within seconds, the shop returns to its steady state, and every accepted order completes.',
    'pt-BR':
      'Quando um serviço sorteado pela semente é derrubado com SIGKILL sob carga e nada roteirizado o reinicia, o supervisor (o da stack no modo local, a política de reinício no modo docker) o traz de volta em segundos, a loja volta ao estado estável, e todo pedido aceito é concluído.',
  },
  proves: {
    en: 'Self-healing without an operator: a crash costs the requests in flight and a few seconds, and is counted.',
    'pt-BR':
      'Autorrecuperação sem operador: uma queda custa as requisições em andamento e alguns segundos, e é contada.',
  },
  load: { script: 'journey', rate: 4 },
  phases: { baselineS: 30, faultS: 30, recoveryS: 40 },
  probes: [
    clientErrors({ ...steady({ max: 0.01 }) }),
    serviceRestarts({ baseline: { max: 0, mode: 'all' }, fault: { min: 1, mode: 'any' } }),
    ordersFinishing({ ...steady({ min: 0.5 }) }),
  ],
  method: draw,
});
