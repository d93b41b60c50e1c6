import pg from 'pg';
import type { Logger } from 'pino';
import { DependencyState } from '../dependencies/dependency-state';
import { AppError } from '../errors/app-error';

export interface DatabasePoolOptions {
  /** The dependency's name in logs, metrics and 503 problems (`postgres`, `postgres-replica`). */
  name: string;
  connectionString: string;
  logger: Logger;
  max?: number;
  /** Connect time limit; a blackholed server costs a request at most this long. */
  connectionTimeoutMillis?: number;
  /** Client-side query time limit, above the server's 10 s statement_timeout (default 15 s). */
  queryTimeoutMillis?: number;
}

/**
 * A database a request cannot be served from right now (refused, reset, timed out, shutting down,
 * crashed, overloaded), as opposed to a statement that is wrong in itself: the first is worth a 503 and
 * a retry elsewhere or later, the second would fail the same way on any server.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof AppError) return error.status === 503 && error.dependency !== undefined;
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  // SQLSTATE 08 connection, 40001/40P01 are a statement's own (serialization, deadlock) and stay
  // errors; 53 insufficient resources, 57 operator intervention (shutdown, crash, cannot connect now,
  // statement timeout 57014), 58 system error; E... are Node's socket errors (ECONNREFUSED, ...).
  if (typeof code === 'string') return /^(08|53|57|58)[0-9A-Z]{3}$/.test(code) || /^E[A-Z]+$/.test(code);
  // node-postgres's own client-side failures carry no code.
  return /timeout|Connection terminated|connection error|not queryable|Client was closed/i.test(error.message);
}

/**
 * The connection itself failed (refused, reset, cut, the server crashed or shut down), as opposed to a
 * server that is up but slow or busy: only this marks the database down.
 */
export function isConnectionLost(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return /^(08[0-9A-Z]{3}|57P0[1-3])$/.test(code) || /^E[A-Z]+$/.test(code);
  return /Connection terminated|connection error|not queryable|timeout exceeded when trying to connect/i.test(
    error.message,
  );
}

/** SQLSTATE classes 22 (data exception), 23 (integrity constraint), 42 (syntax or access rule). */
export function isStatementError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(22|23|42)[0-9A-Z]{3}$/.test(code);
}

type ConnectCallback = (error: Error | undefined, client: pg.PoolClient | undefined, done: () => void) => void;

/**
 * A `pg.Pool` that outlives its database. node-postgres emits `error` on a client whose connection
 * drops (the server's FATAL "terminating connection due to unexpected postmaster exit", a reset, a
 * proxy cut): the pool listens while a client is idle but not while it is checked out, and an `error`
 * event nobody listens to ends the process — which is how a Postgres crash used to kill services
 * mid-transaction. Here every client gets a listener for its whole life, the outage is reported once
 * through a `DependencyState`, and every failure to reach the database becomes a 503 problem naming it
 * (`AppError.dependencyUnavailable`), so each route that needs it answers fast and clearly.
 *
 * While the database is known to be down, only one connection attempt is in flight at a time (the
 * probe); other requests are refused at once instead of each waiting out a connect timeout, and the
 * first successful connection ends the outage for all — a circuit breaker in half-open state.
 */
export class DatabasePool extends pg.Pool {
  readonly state: DependencyState;
  private probing = false;

  constructor(options: DatabasePoolOptions) {
    super({
      connectionString: options.connectionString,
      max: options.max ?? 10,
      connectionTimeoutMillis: options.connectionTimeoutMillis ?? 3_000,
      idleTimeoutMillis: 30_000,
      statement_timeout: 10_000,
      // A half-open connection (the server gone without a FIN) would leave a query waiting forever.
      query_timeout: options.queryTimeoutMillis ?? 15_000,
    });
    this.state = new DependencyState(options.name, options.logger);
    // An idle client losing its connection: the pool removes it; we only take note.
    this.on('error', (error) => this.state.markDown(error));
    this.on('connect', (client) => {
      this.state.markUp();
      // A checked-out client losing its connection: its query under way fails by itself (and the
      // caller gets a 503); without this listener the event would be unhandled and end the process.
      client.on('error', (error) => this.state.markDown(error));
    });
  }

  /** The error a caller sees: a 503 naming this database when it is unavailable, the error itself otherwise. */
  classify(error: unknown): unknown {
    if (error instanceof AppError || !isDatabaseUnavailable(error)) return error;
    if (isConnectionLost(error)) this.state.markDown(error);
    return AppError.dependencyUnavailable(this.state.name, error);
  }

  override connect(): Promise<pg.PoolClient>;
  override connect(callback: ConnectCallback): void;
  override connect(callback?: ConnectCallback): Promise<pg.PoolClient> | undefined {
    // pg-pool's own query() calls connect with a callback; everything else awaits the promise.
    const attempt = this.admit();
    if (callback) {
      if (attempt instanceof AppError) {
        queueMicrotask(() => callback(attempt, undefined, () => {}));
        return undefined;
      }
      super.connect((error, client, done) => {
        attempt();
        callback(error ? (this.classify(error) as Error) : undefined, client, done);
      });
      return undefined;
    }
    if (attempt instanceof AppError) return Promise.reject(attempt);
    return super.connect().then(
      (client) => {
        attempt();
        return client;
      },
      (error: unknown) => {
        attempt();
        throw this.classify(error);
      },
    );
  }

  /**
   * Lets a connection attempt through (returning what to call when it settles), or, while the database
   * is known down and another attempt is already probing it, refuses at once.
   */
  private admit(): (() => void) | AppError {
    if (this.state.isUp) return () => {};
    if (this.probing) return AppError.dependencyUnavailable(this.state.name, new Error(this.state.reason));
    this.probing = true;
    return () => {
      this.probing = false;
    };
  }
}

// pg.Pool.query has a dozen overloads (text, config, callbacks, Submittables): wrapping it on the
// prototype keeps every one of them, typed as pg declares them. Promise results are classified.
const baseQuery = pg.Pool.prototype.query as (...args: unknown[]) => unknown;
DatabasePool.prototype.query = function query(this: DatabasePool, ...args: unknown[]) {
  const result = baseQuery.apply(this, args);
  if (!(result instanceof Promise)) return result;
  return result.then(
    (value) => {
      this.state.markUp();
      return value;
    },
    (error: unknown) => {
      throw this.classify(error);
    },
  );
} as pg.Pool['query'];
