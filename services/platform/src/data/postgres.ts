import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import type { Logger } from 'pino';
import { backoffDelay } from '../dependencies/backoff';
import { DatabasePool, isDatabaseUnavailable } from './database-pool';

/** Tables the platform's messaging needs in a service's database (services/platform/migrations). */
export type PlatformTable = 'outbox' | 'inbox';
const platformMigrations = join(__dirname, '..', '..', '..', 'migrations');

export interface OpenDatabaseOptions {
  connectionString: string;
  logger: Logger;
  /** The service's versioned SQL files. */
  migrations: string;
  /** The platform's tables the service uses: outbox if it publishes events, inbox if it consumes them. */
  platformTables?: PlatformTable[];
  /** The dependency's name in logs, metrics and 503 problems (default `postgres`). */
  name?: string;
  /** Stops waiting for an unreachable database (a service's stop() during start-up). */
  signal?: AbortSignal;
}

/**
 * A pool on the service's database with its migrations applied (the platform's tables first, then
 * the service's own files). A database that cannot be reached at start-up is waited for, with capped
 * back-off and the outage logged once, rather than ending the process: a service started while
 * Postgres restarts comes up by itself when it returns.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabasePool> {
  const pool = new DatabasePool({
    name: options.name ?? 'postgres',
    connectionString: options.connectionString,
    logger: options.logger,
  });
  const shared = (options.platformTables ?? []).map((table) => join(platformMigrations, `000_${table}.sql`));
  for (let attempt = 0; ; attempt++) {
    try {
      await migrate(pool, options.migrations, shared);
      return pool;
    } catch (error) {
      // A wrong password or a failing migration will not cure itself: that start fails, loudly.
      if (!isDatabaseUnavailable(error) || options.signal?.aborted) {
        await pool.end().catch(() => {});
        throw error;
      }
      pool.state.markDown(error);
      await sleep(backoffDelay(attempt, { baseMs: 250, capMs: 5_000 }), undefined, { signal: options.signal }).catch(
        () => {},
      );
    }
  }
}

/**
 * Runs `work` in one transaction on one client; rolls back and rethrows on failure (a 503 naming the
 * database when it became unavailable). A client whose rollback failed is discarded, not reused.
 */
export async function withTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    if (pool instanceof DatabasePool) pool.state.markUp();
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    throw pool instanceof DatabasePool ? pool.classify(error) : error;
  } finally {
    client.release(broken);
  }
}

/**
 * Applies the shared SQL files given (the platform's tables), then the versioned SQL files of
 * `directory` (`001_name.sql`, `002_name.sql`, ...), those that have not run yet, each in its own transaction, under an advisory lock so that two instances starting at
 * once do not race. Applied versions are recorded in `schema_migrations`.
 */
export async function migrate(pool: pg.Pool, directory: string, sharedFiles: string[] = []): Promise<string[]> {
  const own = (await readdir(directory))
    .filter((file) => /^\d+_.+\.sql$/.test(file))
    .sort()
    .map((file) => join(directory, file));
  const paths = [...sharedFiles, ...own];
  const applied: string[] = [];
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock(72010)');
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const { rows } = await client.query<{ version: string }>('SELECT version FROM schema_migrations');
    const done = new Set(rows.map((row) => row.version));
    for (const path of paths.filter((candidate) => !done.has(basename(candidate)))) {
      const file = basename(path);
      const sql = await readFile(path, 'utf8');
      await client.query('BEGIN');
      try {
        await client.query(sql);
        await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [file]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${file} failed: ${(error as Error).message}`);
      }
      applied.push(file);
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock(72010)').catch(() => {});
    client.release();
  }
  return applied;
}
