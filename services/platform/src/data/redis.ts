import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { DependencyState } from '../dependencies/dependency-state';

export interface RedisOptions {
  /** The longest a command may take before it fails (the caller decides what failing means). */
  commandTimeoutMs?: number;
}

/**
 * Connects to Redis without ever queueing commands while disconnected (enableOfflineQueue off): during
 * an outage a command fails at once instead of waiting for a reconnect. ioredis reconnects by itself
 * (its default retryStrategy: 50 ms more per attempt, capped at 2 s); the outage is logged once and
 * exported as dependency_up{dependency="redis"}. Resolves once connected, or after a short wait when
 * Redis is down, so the service starts (and copes) rather than failing to boot.
 */
export async function connectRedis(url: string, logger: Logger, options: RedisOptions = {}): Promise<Redis> {
  const timeout = options.commandTimeoutMs ?? 1_000;
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 1_000,
    commandTimeout: timeout,
  });
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
  return redis;
}

/** Closes a connection from connectRedis: politely when Redis answers, at once when it does not. */
export async function closeRedis(redis: Redis): Promise<void> {
  await redis.quit().catch(() => redis.disconnect());
}
