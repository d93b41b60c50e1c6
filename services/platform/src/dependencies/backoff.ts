/**
 * Capped exponential back-off with full jitter (AWS Architecture Blog, "Exponential Backoff And
 * Jitter"): attempt n waits a random time in [0, min(cap, base · 2ⁿ)]. The jitter keeps a fleet of
 * clients that lost the same dependency at the same instant from reconnecting in lockstep.
 */
export interface BackoffOptions {
  /** Delay bound of the first retry. */
  baseMs: number;
  /** Largest delay bound, however many attempts have failed. */
  capMs: number;
  /** Random source in [0, 1); tests pass a fixed one. */
  random?: () => number;
}

/** The delay before retry number `attempt` (0 = the first retry after the first failure). */
export function backoffDelay(attempt: number, options: BackoffOptions): number {
  const bound = Math.min(options.capMs, options.baseMs * 2 ** Math.min(attempt, 30));
  // Never below a tenth of the bound: a zero delay would turn an outage into a busy loop.
  return Math.round(bound * (0.1 + 0.9 * (options.random ?? Math.random)()));
}
