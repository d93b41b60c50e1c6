import { setTimeout as sleep } from 'node:timers/promises';
import { context, propagation, ROOT_CONTEXT } from '@opentelemetry/api';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { BackoffOptions } from '../dependencies/backoff';
import { outboxBacklogSources, outboxPublishLag } from '../metrics/messaging-metrics';
import { BackoffSchedule } from './backoff-schedule';

/**
 * Writes an event to the outbox inside the caller's transaction, with the current trace context. The
 * service's migrations create `outbox (id bigserial, message_id uuid UNIQUE, routing_key, payload
 * jsonb, traceparent, created_at, published_at)`.
 */
export async function enqueueEvent(
  client: pg.PoolClient,
  event: { messageId: string; routingKey: string; payload: unknown },
): Promise<void> {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  await client.query('INSERT INTO outbox (message_id, routing_key, payload, traceparent) VALUES ($1, $2, $3, $4)', [
    event.messageId,
    event.routingKey,
    JSON.stringify(event.payload),
    carrier.traceparent ?? null,
  ]);
}

/** What the relay publishes through: `Broker` in the services. */
export interface EventPublisher {
  /** Resolves once the broker confirmed the event; fails (fast, ideally) when it cannot. */
  publish(routingKey: string, payload: unknown, messageId: string): Promise<void>;
  /** False while publishing cannot work (no channel): the relay then waits for `whenReady`. */
  readonly ready?: boolean;
  whenReady?(): Promise<void>;
}

export interface OutboxRelayOptions {
  /** Pause between passes while all is well. */
  intervalMs?: number;
  batchSize?: number;
  /** Pauses after failed passes (database or broker trouble): capped exponential with jitter. */
  failureBackoff?: BackoffOptions;
}

/**
 * Publishes outbox rows in order and marks them sent only after the broker confirmed them, so a crash
 * or a broker outage delays events but never loses them (a re-publish after a crash between confirm
 * and commit is absorbed by the consumers' inbox). Each publish runs in the trace context stored with
 * its row, so the consumer's spans join the trace of the request that caused the event.
 *
 * While the broker is away the relay does not poll: it waits until the publisher is ready again. A
 * pass that fails all the same (the database is away, a confirm times out) is retried after a capped
 * exponential back-off; a run of failures is logged once when it begins and once when it ends.
 */
export class OutboxRelay {
  private running: Promise<void> | undefined;
  private readonly stopping = new AbortController();
  private readonly stopped = new Promise<void>((resolve) =>
    this.stopping.signal.addEventListener('abort', () => resolve(), { once: true }),
  );
  private readonly countBacklog = () => this.backlog();
  private readonly intervalMs: number;
  private readonly batchSize: number;
  private readonly failureBackoff: BackoffSchedule;

  constructor(
    private readonly pool: pg.Pool,
    private readonly publisher: EventPublisher,
    private readonly logger: Logger,
    options: OutboxRelayOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 100;
    this.batchSize = options.batchSize ?? 50;
    this.failureBackoff = new BackoffSchedule(options.failureBackoff ?? { baseMs: 200, capMs: 5_000 });
  }

  start(): void {
    outboxBacklogSources.add(this.countBacklog);
    this.running ??= this.relay();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    outboxBacklogSources.delete(this.countBacklog);
    await this.running;
  }

  private async relay(): Promise<void> {
    const { signal } = this.stopping;
    let failingSince = 0;
    let failureLogged = false;
    while (!signal.aborted) {
      let pauseMs = this.intervalMs;
      try {
        if (this.publisher.ready === false) {
          await Promise.race([this.publisher.whenReady?.() ?? sleep(5_000), this.stopped]);
          continue;
        }
        await this.drain();
        if (failureLogged) {
          const downForMs = Date.now() - failingSince;
          const failedPasses = this.failureBackoff.failuresInRow;
          this.logger.info({ failedPasses, downForMs }, `outbox relay resumed after ${downForMs} ms`);
        }
        this.failureBackoff.reset();
        failureLogged = false;
      } catch (error) {
        if (this.failureBackoff.failuresInRow === 0) failingSince = Date.now();
        pauseMs = this.failureBackoff.next();
        // A broker outage is logged by the connection; the relay only tells of failures of its own.
        if (!failureLogged && this.publisher.ready !== false) {
          failureLogged = true;
          this.logger.warn({ err: (error as Error).message }, 'outbox relay pass failed; retrying with back-off');
        }
      }
      await sleep(pauseMs, undefined, { signal }).catch(() => {});
    }
  }

  /** Publishes everything pending; returns how many rows were sent. */
  async drain(): Promise<number> {
    let sent = 0;
    for (;;) {
      const batch = await this.publishBatch();
      sent += batch;
      if (batch < this.batchSize) return sent;
    }
  }

  /** Rows waiting to be published; gives up after a second so a scrape never waits on a sick database. */
  private async backlog(): Promise<number> {
    const count = this.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL');
    count.catch(() => {}); // a late failure after the timeout won the race must not go unhandled
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 1_000).unref());
    return (await Promise.race([count, timeout])).rows[0]?.n ?? 0;
  }

  private async publishBatch(): Promise<number> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const selectedAt = performance.now();
      const { rows } = await client.query<{
        id: string;
        message_id: string;
        routing_key: string;
        payload: unknown;
        traceparent: string | null;
        age_s: number;
      }>(
        `SELECT id, message_id, routing_key, payload, traceparent,
                extract(epoch FROM clock_timestamp() - created_at)::float8 AS age_s FROM outbox
          WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.batchSize],
      );
      // The whole batch is published at once and its confirms awaited together: one confirm round trip
      // per batch instead of per row (the channel keeps publish order). If any publish fails, nothing
      // is marked sent and the whole batch goes again next pass; consumers' inboxes absorb the repeats.
      await Promise.all(
        rows.map((row) => {
          const parent = row.traceparent
            ? propagation.extract(ROOT_CONTEXT, { traceparent: row.traceparent })
            : ROOT_CONTEXT;
          return context.with(parent, () => this.publisher.publish(row.routing_key, row.payload, row.message_id));
        }),
      );
      if (rows.length) {
        await client.query('UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])', [
          rows.map((row) => row.id),
        ]);
      }
      await client.query('COMMIT');
      const sinceSelect = (performance.now() - selectedAt) / 1000;
      for (const row of rows) outboxPublishLag.observe(row.age_s + sinceSelect);
      return rows.length;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }
}
