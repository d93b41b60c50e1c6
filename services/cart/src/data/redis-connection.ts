import { createBreaker, DependencyState } from '@confeitaria/platform';
import { Redis } from 'ioredis';
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
 * Connects to Redis without ever queueing commands while disconnected (enableOfflineQueue off): during
 * an outage a command fails at once instead of waiting for a reconnect, and the breaker then stops even
 * trying until Redis has had `resetTimeout` to recover. Resolves once connected, or after a short wait
 * when Redis is down, so the service starts (and reports not ready) rather than failing to boot.
 */
export async function openRedis(url: string, logger: Logger): Promise<GuardedRedis> {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 1_000,
    commandTimeout: 1_000,
  });
  // ioredis reconnects by itself (its default retryStrategy: 50 ms more per attempt, capped at 2 s);
  // the state logs the outage once and exports dependency_up{dependency="redis"}.
  const state = new DependencyState('redis', logger);
  redis.on('error', (error: Error) => state.markDown(error));
  redis.on('ready', () => state.markUp());
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 1_500);
    const settle = () => {
      clearTimeout(timer);
      redis.off('ready', settle).off('error', settle);
      resolve();
    };
    redis.once('ready', settle).once('error', settle);
  });

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
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
