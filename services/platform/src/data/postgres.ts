import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import pg from 'pg';

/** A pool with bounded waits, so a slow or unreachable database surfaces as an error, not a hang. */
export function createPool(connectionString: string, max = 10): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max,
    connectionTimeoutMillis: 3_000,
    idleTimeoutMillis: 30_000,
    statement_timeout: 10_000,
  });
  // An idle client losing its connection (database restart, proxy reset) must not crash the process.
  pool.on('error', () => {});
  return pool;
}

/** Tables the platform's messaging needs in a service's database (services/platform/migrations). */
export type PlatformTable = 'outbox' | 'inbox';
const platformMigrations = join(__dirname, '..', '..', '..', 'migrations');

/**
 * A pool on the service's database with its migrations applied: the platform's tables the service
 * uses (outbox if it publishes events, inbox if it consumes them), then its own versioned files.
 */
export async function openDatabase(
  connectionString: string,
  migrationsDirectory: string,
  platformTables: PlatformTable[] = [],
): Promise<pg.Pool> {
  const pool = createPool(connectionString);
  await migrate(
    pool,
    migrationsDirectory,
    platformTables.map((table) => join(platformMigrations, `000_${table}.sql`)),
  );
  return pool;
}

/** Runs `work` in one transaction on one client; rolls back and rethrows on failure. */
export async function withTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
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
