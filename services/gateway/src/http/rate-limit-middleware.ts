import { shedRequest } from '@confeitaria/platform';
import type { Middleware } from 'koa';
import type { SharedBudget } from '../domain/shared-budget';
import { TokenBuckets } from '../domain/token-buckets';
import { callerFrom } from './auth-middleware';

export interface BucketLimit {
  ratePerSecond: number;
  burst: number;
}

/**
 * Limits each client to `ratePerSecond` sustained with bursts up to `burst`: an authenticated caller
 * by user id (so users behind one address do not share a budget), anyone else by address. Over the
 * limit: 429 with Retry-After. Runs after `identifyCaller`, on /api routes only, so health and
 * metrics probes are never limited. In memory, per replica, on purpose: it protects this replica from
 * a flood and costs nothing per request; the budget that must hold across replicas (authThrottle) is
 * the one guarding passwords.
 */
export function rateLimit(limit: BucketLimit): Middleware {
  const buckets = new TokenBuckets(limit.ratePerSecond, limit.burst);
  return async (ctx, next) => {
    const caller = callerFrom(ctx);
    const admission = buckets.take(caller ? `user:${caller.id}` : `ip:${ctx.ip}`);
    if (!admission.allowed) {
      throw shedRequest(
        'rate_limited',
        429,
        `too many requests: retry in ${admission.retryAfterSeconds} s`,
        admission.retryAfterSeconds,
      );
    }
    await next();
  };
}

/**
 * The login and registration budget of one address (each costs identity a password hash), on top of
 * the general limit, shared by every gateway replica (SharedBudget, in Redis): whoever guesses
 * passwords, or signs up accounts by the thousand, from one address is slowed to its rate however many
 * replicas they spread over. Failed logins per account are identity's to count (in its database, so
 * across identity replicas too).
 */
export function authThrottle(budget: SharedBudget): Middleware {
  return async (ctx, next) => {
    const admission = await budget.take(ctx.ip);
    if (!admission.allowed) {
      throw shedRequest(
        'login_throttled',
        429,
        `too many logins or registrations from this address: retry in ${admission.retryAfterSeconds} s`,
        admission.retryAfterSeconds,
      );
    }
    await next();
  };
}
