import CircuitBreaker from 'opossum';
import type { Logger } from 'pino';
import { Gauge } from 'prom-client';
import { AppError, ErrorCode } from '../errors/app-error';
import { registry } from '../metrics/registry';

const breakerState = new Gauge({
  name: 'circuit_breaker_state',
  help: 'Circuit breaker state: 0 closed, 1 half-open, 2 open.',
  labelNames: ['breaker'] as const,
  registers: [registry],
});

export interface BreakerOptions {
  /** A call slower than this counts as a failure. */
  timeoutMs?: number;
  /** Share of failed calls (in the rolling window) that opens the breaker. */
  errorThresholdPercentage?: number;
  /** How long the breaker stays open before letting one trial call through. */
  resetTimeoutMs?: number;
  /** Calls in the window before the threshold applies. */
  volumeThreshold?: number;
  /** Errors that are the caller's fault (e.g. a 404) and must not trip the breaker; they are rethrown as they are. */
  isClientError?: (error: unknown) => boolean;
  /** What a call that timed out becomes: 504 for an HTTP upstream (default), 503 for a store. */
  timeoutStatus?: 503 | 504;
  /** Logs the breaker opening and closing. */
  logger?: Logger;
  /** The dependency the breaker guards, as named in its 503/504 problems (default: the breaker's name). */
  dependency?: string;
}

export interface Breaker<A extends unknown[], R> {
  (...args: A): Promise<R>;
  /** Stops the breaker's timers (on service stop). */
  shutdown(): void;
}

/**
 * Wraps a call to a dependency in a circuit breaker (opossum): after repeated failures it fails fast
 * with a 503 problem instead of waiting on a dependency that is down, and closes again once a trial
 * call succeeds. Its state is exported as `circuit_breaker_state{breaker}`.
 */
export function createBreaker<A extends unknown[], R>(
  name: string,
  call: (...args: A) => Promise<R>,
  options: BreakerOptions = {},
): Breaker<A, R> {
  const breaker = new CircuitBreaker(call, {
    name,
    timeout: options.timeoutMs ?? 3_000,
    errorThresholdPercentage: options.errorThresholdPercentage ?? 50,
    resetTimeout: options.resetTimeoutMs ?? 5_000,
    volumeThreshold: options.volumeThreshold ?? 5,
    errorFilter: options.isClientError,
  });
  breakerState.set({ breaker: name }, 0);
  breaker.on('open', () => {
    breakerState.set({ breaker: name }, 2);
    options.logger?.warn({ breaker: name }, 'circuit breaker opened');
  });
  breaker.on('halfOpen', () => breakerState.set({ breaker: name }, 1));
  breaker.on('close', () => {
    breakerState.set({ breaker: name }, 0);
    options.logger?.info({ breaker: name }, 'circuit breaker closed');
  });
  const guarded = async (...args: A) => {
    try {
      return await breaker.fire(...args);
    } catch (error) {
      if (error instanceof AppError || options.isClientError?.(error)) throw error;
      const code = (error as { code?: string }).code;
      const dependency = options.dependency ?? name;
      const details = { dependency, cause: error, headers: { 'Retry-After': '1' } };
      if (code === 'EOPENBREAKER') {
        const retryAfter = String(Math.ceil((options.resetTimeoutMs ?? 5_000) / 1000));
        throw new AppError(
          503,
          ErrorCode.UpstreamUnavailable,
          `${dependency} is unavailable (circuit open)`,
          undefined,
          {
            ...details,
            headers: { 'Retry-After': retryAfter },
          },
        );
      }
      if (code === 'ETIMEDOUT' && (options.timeoutStatus ?? 504) === 504) {
        throw new AppError(504, ErrorCode.UpstreamTimeout, `${dependency} did not answer in time`, undefined, details);
      }
      throw new AppError(503, ErrorCode.UpstreamUnavailable, `${dependency} is unavailable`, undefined, details);
    }
  };
  return Object.assign(guarded, { shutdown: () => breaker.shutdown() });
}
