import { context, propagation, ROOT_CONTEXT } from '@opentelemetry/api';
import type pg from 'pg';
import type { Logger } from 'pino';
import { outboxBacklogSources, outboxPublishLag } from '../metrics/messaging-metrics';
import type { Broker } from './broker';

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

/**
 * Publishes outbox rows in order and marks them sent only after the broker confirmed them, so a crash
 * or a broker outage delays events but never loses them (a re-publish after a crash between confirm
 * and commit is absorbed by the consumers' inbox). Each publish runs in the trace context stored with
 * its row, so the consumer's spans join the trace of the request that caused the event.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private readonly countBacklog = () => this.backlog();

  constructor(
    private readonly pool: pg.Pool,
    private readonly broker: Broker,
    private readonly logger: Logger,
    private readonly intervalMs = 100,
    private readonly batchSize = 50,
  ) {}

  start(): void {
    const tick = async () => {
      this.running = this.drain().then(
        () => {},
        (error: Error) => this.logger.warn({ err: error.message }, 'outbox relay pass failed; will retry'),
      );
      await this.running;
      // stop() may have been called during this pass: then there is no next pass.
      if (!this.stopped) this.timer = setTimeout(tick, this.intervalMs);
    };
    this.stopped = false;
    outboxBacklogSources.add(this.countBacklog);
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    outboxBacklogSources.delete(this.countBacklog);
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
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
          return context.with(parent, () => this.broker.publish(row.routing_key, row.payload, row.message_id));
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
