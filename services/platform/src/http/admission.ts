import { Counter, Gauge } from 'prom-client';
import { AppError, ErrorCode } from '../errors/app-error';
import { registry } from '../metrics/registry';

/**
 * Why a request was refused to protect the shop rather than served late (DESIGN.md §7 "Overload"):
 * - `rate_limited`: the client is over its per-client request budget (gateway, 429);
 * - `login_throttled`: too many logins from one address, or failed logins for one account (429);
 * - `hashing_busy`: identity's password-hashing queue is full (503);
 * - `saga_behind`: the order saga has more orders in flight than it may (gateway, 503);
 * - `at_capacity`: the service has as many requests in flight and waiting as it may (gateway, 503).
 */
export type ShedReason = 'rate_limited' | 'login_throttled' | 'hashing_busy' | 'saga_behind' | 'at_capacity';

const shedTotal = new Counter({
  name: 'http_requests_shed_total',
  help: 'Requests refused at once (429/503 with Retry-After) to protect the shop, by reason.',
  labelNames: ['reason'] as const,
  registers: [registry],
});

/** Starts the shed counter at 0 for the reasons a service can shed for, so its panels and rates have a series. */
export function declareShedReasons(...reasons: ShedReason[]): void {
  for (const reason of reasons) shedTotal.inc({ reason }, 0);
}

/**
 * The one way a request is shed: counted by reason, then refused with a problem that says when to
 * come back (429 for a client over its budget, 503 for a shop over its capacity).
 */
export function shedRequest(
  reason: ShedReason,
  status: 429 | 503,
  detail: string,
  retryAfterSeconds: number,
): AppError {
  shedTotal.inc({ reason });
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return new AppError(status, status === 429 ? ErrorCode.RateLimited : ErrorCode.Overloaded, detail, undefined, {
    headers: { 'Retry-After': String(seconds) },
    reason,
  });
}

export interface AdmissionGateOptions {
  /** The gate's name: the `gate` label of its gauges. */
  name: string;
  /** Work items running at once. */
  concurrency: number;
  /** Callers that may wait for a slot; one more is refused at once. */
  queueLimit: number;
  /**
   * The longest a caller may wait for a slot. A caller whose expected wait (queue ahead of it times the
   * recent time per item) is longer is refused at once; one still waiting when it elapses is refused then.
   */
  maxWaitMs: number;
  /**
   * The longest a caller waits for its item once it runs. Past it the caller is refused (503, the same
   * reason) while the item finishes in its slot: CPU-bound work cannot be stopped, but its result is
   * dropped, so whatever the caller would have done with it (store an account, issue a token) does not
   * happen. With `maxWaitMs` it bounds the whole answer under the caller's own timeout on a machine
   * slowed down (a CI runner at a third of its speed turned 54 of 200 logins into 504s without it).
   */
  maxRunMs?: number;
  /** What a refusal is counted as. */
  reason: ShedReason;
}

const gateInFlight = new Gauge({
  name: 'admission_gate_in_flight',
  help: 'Work items running inside an admission gate.',
  labelNames: ['gate'] as const,
  registers: [registry],
});
const gateQueued = new Gauge({
  name: 'admission_gate_queued',
  help: 'Callers waiting for a slot of an admission gate.',
  labelNames: ['gate'] as const,
  registers: [registry],
});

interface Waiter {
  admit: () => void;
  timer: NodeJS.Timeout;
}

/**
 * Bounded concurrency with a short, bounded queue: the admission control in front of expensive work
 * (password hashing). When the queue is full, or the caller could not start within `maxWaitMs`, it is
 * refused with 503 + Retry-After at once, well inside any caller's timeout, instead of piling up until
 * everyone times out. Retry-After is the time the queue ahead needs to drain, from the recent time per
 * item (an exponentially weighted average), so a crowd is spread over the seconds it needs.
 */
export class AdmissionGate {
  private running = 0;
  private readonly queue: Waiter[] = [];
  /** Recent milliseconds per work item; starts at a guess and follows what is measured. */
  private itemMs = 50;

  constructor(private readonly options: AdmissionGateOptions) {
    if (options.concurrency < 1) throw new Error(`gate ${options.name}: concurrency must be at least 1`);
    gateInFlight.set({ gate: options.name }, 0);
    gateQueued.set({ gate: options.name }, 0);
  }

  /**
   * Runs `work` when a slot is free; throws the 503 problem (counted as shed) when it may not wait, or
   * when it runs longer than `maxRunMs` (the slot is held until the work really ends).
   */
  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.acquire();
    const started = performance.now();
    const item = work().finally(() => {
      this.itemMs = 0.8 * this.itemMs + 0.2 * (performance.now() - started);
      this.release();
    });
    const { maxRunMs } = this.options;
    if (maxRunMs === undefined) return item;
    let timer: NodeJS.Timeout | undefined;
    const overdue = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(this.refusal()), maxRunMs);
    });
    try {
      // race() subscribes to `item`, so a late rejection of it is handled, never an unhandled one.
      return await Promise.race([item, overdue]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Milliseconds a caller arriving now would wait for a slot. */
  expectedWaitMs(): number {
    return ((this.queue.length + 1) * this.itemMs) / this.options.concurrency;
  }

  private acquire(): Promise<void> {
    const { concurrency, queueLimit, maxWaitMs } = this.options;
    if (this.running < concurrency) {
      this.running += 1;
      this.publish();
      return Promise.resolve();
    }
    if (this.queue.length >= queueLimit || this.expectedWaitMs() > maxWaitMs) return Promise.reject(this.refusal());
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        // The slot passes straight from the finishing item to this waiter (`running` unchanged), so a
        // caller arriving in between cannot take it.
        admit: () => {
          clearTimeout(waiter.timer);
          resolve();
        },
        timer: setTimeout(() => {
          this.queue.splice(this.queue.indexOf(waiter), 1);
          this.publish();
          reject(this.refusal());
        }, maxWaitMs),
      };
      this.queue.push(waiter);
      this.publish();
    });
  }

  private release(): void {
    const next = this.queue.shift();
    if (next) next.admit();
    else this.running -= 1;
    this.publish();
  }

  private refusal(): AppError {
    return shedRequest(
      this.options.reason,
      503,
      `${this.options.name} is at capacity; try again shortly`,
      this.expectedWaitMs() / 1_000,
    );
  }

  private publish(): void {
    gateInFlight.set({ gate: this.options.name }, this.running);
    gateQueued.set({ gate: this.options.name }, this.queue.length);
  }
}
