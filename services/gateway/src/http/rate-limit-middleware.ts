import { AppError, ErrorCode } from '@confeitaria/platform';
import type { Middleware } from 'koa';
import { TokenBuckets } from '../domain/token-buckets';
import { rateLimitedTotal } from '../metrics/gateway-metrics';
import { callerFrom } from './auth-middleware';

/**
 * Limits each client to `ratePerSecond` sustained with bursts up to `burst`: an authenticated caller
 * by user id (so users behind one address do not share a budget), anyone else by address. Over the
 * limit: 429 with Retry-After. Runs after `identifyCaller`, on /api routes only, so health and
 * metrics probes are never limited.
 */
export function rateLimit(ratePerSecond: number, burst: number): Middleware {
  const buckets = new TokenBuckets(ratePerSecond, burst);
  return async (ctx, next) => {
    const caller = callerFrom(ctx);
    const admission = buckets.take(caller ? `user:${caller.id}` : `ip:${ctx.ip}`);
    if (!admission.allowed) {
      rateLimitedTotal.inc();
      throw new AppError(
        429,
        ErrorCode.RateLimited,
        `too many requests: retry in ${admission.retryAfterSeconds} s`,
        undefined,
        { headers: { 'Retry-After': String(admission.retryAfterSeconds) } },
      );
    }
    await next();
  };
}
