/** A decision of the rate limiter. */
export type Admission = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * One token bucket per client key, in memory: each holds up to `burst` tokens, refilled at
 * `ratePerSecond`; a request takes one. Buckets that have refilled completely carry no information,
 * so they are dropped now and then, which keeps memory bounded by the clients active recently.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private lastSweep: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now(),
    private readonly sweepEveryMs = 60_000,
  ) {
    this.lastSweep = now();
  }

  take(key: string): Admission {
    const now = this.now();
    if (now - this.lastSweep >= this.sweepEveryMs) this.sweep(now);
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1_000) * this.ratePerSecond);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.ratePerSecond)) };
  }

  /** Clients currently tracked. */
  size(): number {
    return this.buckets.size;
  }

  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1_000) * this.ratePerSecond >= this.burst) this.buckets.delete(key);
    }
  }
}
