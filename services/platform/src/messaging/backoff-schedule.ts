import { type BackoffOptions, backoffDelay } from '../dependencies/backoff';

/**
 * The pauses of one run of failures (reconnecting, reopening a channel, relaying the outbox): each
 * longer than the last up to the cap, with jitter (dependencies/backoff.ts), and back to the shortest
 * once something succeeds.
 */
export class BackoffSchedule {
  private failures = 0;

  constructor(private readonly options: BackoffOptions) {}

  /** The pause before the next try, after one more failure. */
  next(): number {
    return backoffDelay(this.failures++, this.options);
  }

  /** A success: the next failure starts a new run. */
  reset(): void {
    this.failures = 0;
  }

  /** Failures since the last success. */
  get failuresInRow(): number {
    return this.failures;
  }
}
