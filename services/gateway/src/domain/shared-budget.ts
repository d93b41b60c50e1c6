import type { Redis } from 'ioredis';
import { BurstyRateLimiter, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Admission } from './token-buckets';

export interface SharedBudgetLimit {
  /** Sustained requests per second per key. */
  ratePerSecond: number;
  /** Requests per minute per key allowed above that rate (a classroom signing in at once). */
  burstPerMinute: number;
}

/**
 * A request budget per key shared by every gateway replica through Redis (rate-limiter-flexible's
 * RateLimiterRedis: one atomic INCR + TTL script per request), so a client that spreads its attempts
 * over the replicas behind a load balancer gets one budget, not one per replica. `ratePerSecond` per
 * one-second window, and when that is spent a burst of `burstPerMinute` per minute on top
 * (BurstyRateLimiter). While Redis cannot answer (down, or slower than the connection's command
 * timeout) every limiter falls back to an in-memory twin (the library's insurance limiter): the budget
 * is then per replica, as it was before, but it still holds and no login waits on Redis.
 */
export class SharedBudget {
  private readonly limiter: BurstyRateLimiter;

  /** Keys are `<prefix>:<suffix>:<key>`: replicas of one shop share a prefix. */
  constructor(prefix: string, limit: SharedBudgetLimit, redis: Redis) {
    const limiter = (suffix: string, points: number, duration: number) =>
      new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${prefix}:${suffix}`,
        points,
        duration,
        // Not connected: straight to the insurance limiter instead of a command that fails anyway.
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory({ keyPrefix: `${prefix}:${suffix}`, points, duration }),
      });
    // Windows are whole seconds (the library's Redis TTLs are): 5/s is 5 per second, 0.5/s is 1 per 2 s.
    const slow = limit.ratePerSecond < 1;
    this.limiter = new BurstyRateLimiter(
      slow
        ? limiter('rate', 1, Math.round(1 / limit.ratePerSecond))
        : limiter('rate', Math.round(limit.ratePerSecond), 1),
      limiter('burst', limit.burstPerMinute, 60),
    );
  }

  async take(key: string): Promise<Admission> {
    try {
      await this.limiter.consume(key);
      return { allowed: true };
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(refusal.msBeforeNext / 1_000)) };
    }
  }
}
