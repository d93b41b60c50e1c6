import type Router from '@koa/router';

/** A readiness check: resolves when the dependency answers, throws (or rejects) when it does not. */
export type ReadinessCheck = () => Promise<unknown>;

/** A liveness check: what stops the process from making progress, or undefined while it can. */
export type LivenessCheck = () => string | undefined;

/**
 * The two questions an orchestrator asks, as Kubernetes means them (docs/resilience.md):
 * - `/healthz` (liveness): can this process make progress? Answered from memory, never by calling a
 *   dependency — a dependency's outage is not cured by restarting us. 503 names what is stuck (e.g. a
 *   consumer that has not been consuming for too long while the broker is up); the stack's supervisor
 *   and the kubelet restart a process that stays so.
 * - `/readyz` (readiness): can it serve the requests it owns right now? Probes the dependencies those
 *   requests need (each within a time limit) and answers 503 naming the ones that fail.
 */
export function healthRoutes(
  router: Router,
  service: string,
  checks: Record<string, ReadinessCheck>,
  liveness: Record<string, LivenessCheck> = {},
): void {
  router.get('/healthz', (ctx) => {
    const stuck = Object.entries(liveness).flatMap(([name, check]) => {
      const problem = check();
      return problem ? [[name, problem] as const] : [];
    });
    ctx.status = stuck.length ? 503 : 200;
    ctx.body = stuck.length
      ? { status: 'stalled', service, problems: Object.fromEntries(stuck) }
      : { status: 'ok', service };
  });
  router.get('/readyz', async (ctx) => {
    const results = await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        try {
          await Promise.race([
            check(),
            new Promise((_, reject) => setTimeout(() => reject(new Error('timed out after 2s')), 2_000).unref()),
          ]);
          return [name, 'ok'] as const;
        } catch (error) {
          return [name, (error as Error).message || 'failed'] as const;
        }
      }),
    );
    const failing = results.filter(([, result]) => result !== 'ok');
    ctx.status = failing.length ? 503 : 200;
    ctx.body = {
      status: failing.length ? 'unavailable' : 'ok',
      service,
      checks: Object.fromEntries(results),
      ...(failing.length ? { failing: failing.map(([name]) => name) } : {}),
    };
  });
}
