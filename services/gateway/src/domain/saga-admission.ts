import { type AppError, callUpstream, jsonOf, shedRequest } from '@confeitaria/platform';
import type { Logger } from 'pino';
import { z } from 'zod';

/** The saga's load as orders reports it (GET /saga/load). */
const sagaLoad = z.object({
  pending: z.number().int().min(0),
  oldestPendingSeconds: z.number().min(0),
  outboxBacklog: z.number().int().min(0),
});
type SagaLoad = z.infer<typeof sagaLoad>;

export interface SagaLimits {
  /** Orders in flight (accepted, not yet terminal) beyond which new orders are shed. */
  maxPending: number;
  /** Age of the oldest order in flight beyond which new orders are shed. */
  maxPendingAgeSeconds: number;
  /** order events waiting in orders' outbox beyond which new orders are shed. */
  maxOutboxBacklog: number;
  /** What a shed order is told to wait. */
  retryAfterSeconds: number;
}

export interface SagaAdmissionOptions extends SagaLimits {
  ordersUrl: string;
  pollMs: number;
  timeoutMs: number;
  logger: Logger;
}

/**
 * Sheds `POST /api/orders` with 503 + Retry-After while the saga is behind, so the orders already
 * accepted keep finishing instead of every order slowing down together (issue 14). The gateway polls
 * orders' saga load once per `pollMs` and adds every order it admitted that had not been answered when
 * that poll was sent: a burst between two polls is counted before the next one sees it, and an order
 * on its way to orders while a poll is on the wire is never forgotten (it may be counted twice for one
 * period, which sheds a little early, never late). Without a fresh reading (orders unreachable, a poll
 * older than three periods) nothing is shed here: orders' own answer then decides.
 *
 * The limits are sized above what the chaos catalogue's outages build up (4 orders/s for at most
 * 60 s), so a broker outage still accepts orders into the outbox as its hypothesis says; what they
 * bound is a saga that cannot keep up with the rate orders arrive at.
 */
export class SagaAdmission {
  private load: SagaLoad | undefined;
  private readAt = 0;
  /** Orders admitted, and of those, the ones orders has answered (whatever the answer). */
  private admitted = 0;
  private settled = 0;
  /** `settled` when the poll behind the current reading was sent. */
  private settledAtRead = 0;
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  constructor(private readonly options: SagaAdmissionOptions) {}

  start(): void {
    this.timer = setInterval(() => void this.poll(), this.options.pollMs).unref();
    void this.poll();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /**
   * Throws the 503 problem (counted as shed, reason saga_behind) when a new order must wait;
   * otherwise counts the order in flight until `forward` settles.
   */
  async admit<T>(forward: () => Promise<T>): Promise<T> {
    const refusal = this.refusal();
    if (refusal) throw refusal;
    this.admitted += 1;
    try {
      return await forward();
    } finally {
      this.settled += 1;
    }
  }

  private refusal(): AppError | undefined {
    const load = this.load;
    if (!load || performance.now() - this.readAt > 3 * this.options.pollMs) return undefined;
    const { maxPending, maxPendingAgeSeconds, maxOutboxBacklog, retryAfterSeconds } = this.options;
    const pending = load.pending + this.admitted - this.settledAtRead;
    const why =
      pending > maxPending
        ? `${pending} orders are in flight (limit ${maxPending})`
        : load.oldestPendingSeconds > maxPendingAgeSeconds
          ? `the oldest order in flight is ${Math.round(load.oldestPendingSeconds)} s old (limit ${maxPendingAgeSeconds} s)`
          : load.outboxBacklog > maxOutboxBacklog
            ? `${load.outboxBacklog} order events wait to be published (limit ${maxOutboxBacklog})`
            : undefined;
    if (!why) return undefined;
    return shedRequest(
      'saga_behind',
      503,
      `the order pipeline is behind: ${why}; try again shortly`,
      retryAfterSeconds,
    );
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    const settledAtSend = this.settled;
    try {
      const response = await callUpstream('orders', {
        method: 'GET',
        url: `${this.options.ordersUrl}/saga/load`,
        timeoutMs: this.options.timeoutMs,
        traced: false,
      });
      const reading = response.status === 200 ? sagaLoad.safeParse(jsonOf(response.body)) : undefined;
      if (!reading?.success) return;
      this.load = reading.data;
      this.readAt = performance.now();
      this.settledAtRead = settledAtSend;
    } catch (error) {
      this.options.logger.debug({ err: error }, 'saga load poll failed');
    } finally {
      this.polling = false;
    }
  }
}
