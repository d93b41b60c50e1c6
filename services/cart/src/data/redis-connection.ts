import { closeRedis, connectRedis, createBreaker } from '@confeitaria/platform';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

const breakerName = 'cart-redis';

/** Redis behind a circuit breaker: every operation either answers within about a second or fails fast. */
export interface GuardedRedis {
  /**
   * Runs one Redis operation through the breaker. Redis being down, slow or the breaker open all
   * become a 503 problem, so a cart request never hangs on its storage.
   */
  run<T>(operation: (redis: Redis) => Promise<T>): Promise<T>;
  /** Readiness probe (through the breaker, so an open breaker reports not ready). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Redis (platform's connectRedis: no offline queue, commands fail within a second) behind the breaker:
 * once it opens, the cart stops even trying until Redis has had `resetTimeout` to recover.
 */
export async function openRedis(url: string, logger: Logger): Promise<GuardedRedis> {
  const redis = await connectRedis(url, logger);
  const breaker = createBreaker(breakerName, (operation: () => Promise<unknown>) => operation(), {
    timeoutMs: 1_000,
    resetTimeoutMs: 5_000,
    volumeThreshold: 5,
    // Redis answering with an error (a bad script, a wrong type) is our bug, not Redis being unavailable.
    isClientError: (error) => (error as Error).name === 'ReplyError',
    timeoutStatus: 503,
    logger,
    dependency: 'redis',
  });
  const run = <T>(operation: (client: Redis) => Promise<T>): Promise<T> =>
    breaker(() => operation(redis)) as Promise<T>;

  return {
    run,
    async ping() {
      await run((client) => client.ping());
    },
    async close() {
      breaker.shutdown();
      await closeRedis(redis);
    },
  };
}
