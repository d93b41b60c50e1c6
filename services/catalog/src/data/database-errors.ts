import type pg from 'pg';

/**
 * Tells a failing database (unreachable, timed out, shutting down, in recovery conflict) from a
 * statement that is wrong in itself. Only the first is worth retrying elsewhere or reporting as 503:
 * a statement error would fail the same way on any server.
 */
export function isStatementError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  // SQLSTATE classes 22 (data exception), 23 (integrity constraint), 42 (syntax or access rule).
  return typeof code === 'string' && /^(22|23|42)[0-9A-Z]{3}$/.test(code);
}

/** What runs SQL: a pool, a client inside a transaction, or the read router. */
export interface Queryable {
  query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

/**
 * A database that cannot answer right now (refused, reset, timed out, shutting down, overloaded),
 * as opposed to a bug: the caller may answer 503 and be retried.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  // SQLSTATE 08 connection, 40 rollback (recovery conflict), 53 resources, 57 operator intervention
  // (shutdown, statement timeout); E... are Node's socket errors (ECONNREFUSED, ECONNRESET, ...).
  if (typeof code === 'string') return /^(08|40|53|57)[0-9A-Z]{3}$/.test(code) || /^E[A-Z]+$/.test(code);
  // pg's own client-side failures carry no code.
  return /timeout|Connection terminated|connection error/i.test(error.message);
}
