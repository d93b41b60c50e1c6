import { trace } from '@opentelemetry/api';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { AppError, toProblem } from '../errors/app-error';

/**
 * The one error handler, first in the chain: whatever a later middleware throws becomes an RFC 9457
 * problem+json response. Unknown routes also become a 404 problem rather than Koa's plain text.
 */
export function errorMiddleware(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        ctx.throw(404, `no route for ${ctx.method} ${ctx.path}`);
      }
    } catch (error) {
      const span = trace.getActiveSpan();
      const problem = toProblem(error, span?.spanContext().traceId);
      if (problem.status >= 500) {
        span?.recordException(error as Error);
        // A dependency's outage is logged once, by its DependencyState (or breaker), not once per request
        // it refuses, and a shed request is counted (http_requests_shed_total), not logged: under
        // overload a log line per refusal would spend the CPU the shedding saves. The span records each.
        if (error instanceof AppError && (error.dependency || error.reason))
          logger.debug({ err: error, path: ctx.path }, 'request refused');
        else logger.error({ err: error, path: ctx.path }, 'request failed');
      }
      ctx.status = problem.status;
      // As Koa's own onerror: headers set before the error are dropped, the error's own are applied.
      for (const name of ctx.res.getHeaderNames()) if (name !== 'traceparent') ctx.remove(name);
      if (error instanceof AppError) ctx.set(error.headers);
      // Every refusal for want of capacity says when to come back, so clients back off instead of hammering.
      if ((problem.status === 503 || problem.status === 429) && !ctx.response.get('Retry-After'))
        ctx.set('Retry-After', '1');
      ctx.type = 'application/problem+json';
      ctx.body = { ...problem, instance: ctx.path };
    }
  };
}
