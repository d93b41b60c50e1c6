import type pg from 'pg';

/** What runs SQL: a pool, a client inside a transaction, or the read router. */
export interface Queryable {
  query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}
