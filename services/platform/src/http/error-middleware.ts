import { trace } from '@opentelemetry/api';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { toProblem } from '../errors/app-error';

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
        logger.error({ err: error, path: ctx.path }, 'request failed');
        span?.recordException(error as Error);
      }
      ctx.status = problem.status;
      ctx.type = 'application/problem+json';
      ctx.body = { ...problem, instance: ctx.path };
    }
  };
}
