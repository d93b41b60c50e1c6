import { trace } from '@opentelemetry/api';
import pg from 'pg';
import type { Logger } from 'pino';
import { readFallbacksTotal, replicaAvailable } from '../metrics/catalog-metrics';
import { isStatementError, type Queryable } from './database-errors';

export interface ReadRouterOptions {
  replicaUrl: string;
  /** How long a failed replica is left alone before it is probed again. */
  retryMs: number;
  /** Connect and query time limit on the replica. */
  timeoutMs: number;
}

/**
 * Sends reads to the streaming replica and, while it fails, to the primary. A failure (refused,
 * reset, timed out, recovery conflict) marks the replica down: reads go straight to the primary
 * and a background probe tries the replica every `retryMs` until it answers again. Each read served
 * by the primary is counted and flagged on its span, so a dashboard shows when the fallback is in use.
 *
 * The replica gets its own pool with tight, client-side time limits: a blackholed replica must cost a
 * read at most `timeoutMs` before it falls back (the primary pool's limits are sized for writes).
 */
export class ReadRouter implements Queryable {
  private readonly replica: pg.Pool;
  private available = true;
  private probeTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly primary: pg.Pool,
    private readonly options: ReadRouterOptions,
    private readonly logger: Logger,
  ) {
    this.replica = new pg.Pool({
      connectionString: options.replicaUrl,
      max: 10,
      connectionTimeoutMillis: options.timeoutMs,
      query_timeout: options.timeoutMs,
      idleTimeoutMillis: 30_000,
    });
    // An idle replica connection dropping (replica restart, proxy reset) must not crash the process.
    this.replica.on('error', () => {});
    replicaAvailable.set(1);
  }

  async query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>> {
    if (this.available) {
      try {
        return await this.replica.query<R>(text, values);
      } catch (error) {
        if (isStatementError(error)) throw error;
        this.markDown(error as Error);
      }
    }
    readFallbacksTotal.inc();
    trace.getActiveSpan()?.setAttribute('db.replica_fallback', true);
    return this.primary.query<R>(text, values);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.probeTimer);
    await this.replica.end();
  }

  private markDown(error: Error): void {
    if (!this.available) return;
    this.available = false;
    replicaAvailable.set(0);
    this.logger.warn(
      { err: error.message, retryMs: this.options.retryMs },
      'read replica failed; reading from primary',
    );
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
      this.available = true;
      replicaAvailable.set(1);
      this.logger.info('read replica answers again; reads go back to it');
    } catch {
      this.scheduleProbe();
    }
  }
}
