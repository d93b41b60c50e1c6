import type Router from '@koa/router';

/** A readiness check: resolves when the dependency answers, throws (or rejects) when it does not. */
export type ReadinessCheck = () => Promise<unknown>;

/**
 * `/healthz` says the process is alive; `/readyz` probes every dependency (each within a time limit)
 * and answers 503 naming the ones that fail, so an orchestrator or the stack tooling can tell which
 * edge is broken.
 */
export function healthRoutes(router: Router, service: string, checks: Record<string, ReadinessCheck>): void {
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok', service };
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
