import { DatabasePool, isStatementError } from '@confeitaria/platform';
import { trace } from '@opentelemetry/api';
import type pg from 'pg';
import type { Logger } from 'pino';
import { readFallbacksTotal, replicaAvailable } from '../metrics/catalog-metrics';
import type { Queryable } from './queryable';

export interface ReadRouterOptions {
  replicaUrl: string;
  /** How long a failed replica is left alone before it is probed again. */
  retryMs: number;
  /** Connect and query time limit on the replica. */
  timeoutMs: number;
}

/**
 * Sends reads to the streaming replica and, while it fails, to the primary. A failure (refused,
 * reset, timed out, crashed, recovery conflict) marks the replica down: reads go straight to the
 * primary and a background probe tries the replica every `retryMs` until it answers again. Each read
 * served by the primary is counted and flagged on its span, so a dashboard shows when the fallback is
 * in use.
 *
 * The replica gets its own pool with tight, client-side time limits: a blackholed replica must cost a
 * read at most `timeoutMs` before it falls back (the primary pool's limits are sized for writes).
 */
export class ReadRouter implements Queryable {
  private readonly replica: DatabasePool;
  private probeTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly primary: pg.Pool,
    private readonly options: ReadRouterOptions,
    logger: Logger,
  ) {
    this.replica = new DatabasePool({
      name: 'postgres-replica',
      connectionString: options.replicaUrl,
      logger,
      connectionTimeoutMillis: options.timeoutMs,
      queryTimeoutMillis: options.timeoutMs,
    });
    replicaAvailable.set(1);
  }

  async query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>> {
    if (this.replica.state.isUp) {
      try {
        return await this.replica.query<R>(text, values);
      } catch (error) {
        if (isStatementError(error)) throw error;
        // Not only a lost connection: a recovery conflict or a timeout also sends reads to the primary.
        this.replica.state.markDown(error);
      }
    }
    this.fallingBack();
    readFallbacksTotal.inc();
    trace.getActiveSpan()?.setAttribute('db.replica_fallback', true);
    return this.primary.query<R>(text, values);
  }

  /** Readiness: one of the two can serve reads. */
  async check(): Promise<void> {
    if (this.replica.state.isUp) return;
    await this.primary.query('SELECT 1');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.probeTimer);
    await this.replica.end();
  }

  /**
   * The replica is down (a failed read, or its pool saw its connections die first, as when it crashes):
   * reads go to the primary until a probe answers. The outage is logged once, by the replica's state.
   */
  private fallingBack(): void {
    if (this.probeTimer !== undefined || this.stopped) return;
    replicaAvailable.set(0);
    this.scheduleProbe();
  }

  private scheduleProbe(): void {
    if (this.stopped) return;
    this.probeTimer = setTimeout(() => void this.probe(), this.options.retryMs);
    this.probeTimer.unref();
  }

  private async probe(): Promise<void> {
    try {
      await this.replica.query('SELECT 1');
      if (this.stopped) return;
      this.replica.state.markUp();
      this.probeTimer = undefined;
      replicaAvailable.set(1);
    } catch {
      this.scheduleProbe();
    }
  }
}
