/**
 * Postgres for the local stack: a primary and a streaming replica, each in its own data directory
 * under the state folder, on its own port and with its own socket directory, so the machine's clusters
 * (15/main on 5432, sockets in /var/run/postgresql) are never touched. Both run as the `postgres`
 * system user because Postgres refuses root. The replica is cloned from the primary once with
 * pg_basebackup and then replays its WAL stream, which gives the dashboards a real replication lag.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, escapeIdentifier, escapeLiteral } from 'pg';
import type { Component, Health } from '../component';
import { dataDir, logDir, runDir } from '../paths';
import { ports } from '../ports';
import { isAlive, logFileOf, tail, waitReaped } from '../process';
import { chownToUser, ownedDirectory, runCommand } from './system-command';

/**
 * One database per service that owns data, each owned by a login role of the same name, the only
 * service role that may connect to it: identity's credentials open identity's database and no other.
 */
export const serviceDatabases = ['identity', 'catalog', 'orders', 'payments', 'notifications'] as const;
export type ServiceDatabase = (typeof serviceDatabases)[number];

export type PostgresRole = 'primary' | 'replica';

/**
 * The operator's role: a member of every service role (so it reads and repairs every database) and of
 * pg_monitor, used by the auditor, the exporters, the tests and the benchmarks, never by a service.
 */
const operator = 'confeitaria';
const operatorPassword = () => process.env.POSTGRES_PASSWORD ?? 'confeitaria';

/**
 * A service role's password: <DATABASE>_DB_PASSWORD (IDENTITY_DB_PASSWORD, ...), by default the role's
 * name, the documented local default its config names too (services refuse it outside local mode).
 */
export const servicePassword = (database: ServiceDatabase): string =>
  process.env[`${database.toUpperCase()}_DB_PASSWORD`] ?? database;

/** A service's own connection URL at `address` (host:port): its role, its password, its database. */
export const serviceDatabaseUrl = (database: ServiceDatabase, address: string): string =>
  `postgres://${database}:${encodeURIComponent(servicePassword(database))}@${address}/${database}`;
const replicationPassword = () => process.env.POSTGRES_REPLICATION_PASSWORD ?? 'replicator';
const binDir = '/usr/lib/postgresql/15/bin';
const socketDir = join(runDir, 'postgres');
const portOf = (role: PostgresRole) => (role === 'primary' ? ports.postgresPrimary : ports.postgresReplica);

/**
 * A direct connection URL as the operator (no Toxiproxy in between), for tests, the exporters and the auditor.
 * POSTGRES_PRIMARY_ADDRESS (host:port) points the primary's elsewhere: the chaos runner's container in
 * docker mode reaches it as postgres-primary:5432.
 */
export function postgresUrl(role: PostgresRole, database: string): string {
  const address =
    role === 'primary' && process.env.POSTGRES_PRIMARY_ADDRESS
      ? process.env.POSTGRES_PRIMARY_ADDRESS
      : `127.0.0.1:${portOf(role)}`;
  return `postgres://${operator}:${encodeURIComponent(operatorPassword())}@${address}/${database}`;
}

/** Settings we own, rewritten at every start; postgresql.conf only includes this file. */
function settings(role: PostgresRole): string {
  return `# Written by stack/src/components/postgres.ts at every start; edits here are overwritten.
listen_addresses = '127.0.0.1'
port = ${portOf(role)}
unix_socket_directories = '${socketDir}'
max_connections = 200
shared_buffers = 128MB
wal_level = replica
max_wal_senders = 5
wal_keep_size = 256MB
hot_standby = on
hot_standby_feedback = on
logging_collector = off
log_line_prefix = '%m [%p] %q%u@%d '
`;
}

const hostBasedAccess = `# Written by stack/src/components/postgres.ts: trust on our own socket, passwords over TCP.
local all all trust
local replication all trust
host all all 127.0.0.1/32 scram-sha-256
host replication replicator 127.0.0.1/32 scram-sha-256
`;

function postgresComponent(role: PostgresRole): Component {
  const name = `postgres-${role}`;
  const dir = join(dataDir, name);
  const logFile = logFileOf(name);
  const asPostgres = (command: string, args: string[], env?: NodeJS.ProcessEnv) =>
    runCommand(join(binDir, command), args, { user: 'postgres', env, cwd: dir, timeoutMs: 120_000 });
  /** Runs one start-up step; a failure names the component and quotes the server log. */
  const step = async (what: string, action: () => Promise<unknown>) => {
    try {
      await action();
    } catch (error) {
      throw new Error(`${name}: ${what} failed: ${(error as Error).message}\nlast log lines:\n${await tail(logFile)}`);
    }
  };

  const recordedPid = () => {
    try {
      const recorded = Number.parseInt(readFileSync(join(dir, 'postmaster.pid'), 'utf8'), 10);
      return Number.isFinite(recorded) ? recorded : undefined;
    } catch {
      return undefined;
    }
  };
  const pid = async () => {
    const recorded = recordedPid();
    return recorded !== undefined && isAlive(recorded) ? recorded : undefined;
  };

  const writeOwned = (file: string, text: string) => {
    writeFileSync(file, text);
    chownToUser(file, 'postgres');
  };

  const prepareDirectories = () => {
    mkdirSync(logDir, { recursive: true });
    ownedDirectory(dir, 'postgres');
    ownedDirectory(socketDir, 'postgres');
    // pg_ctl opens the log as the postgres user, so the file must be theirs.
    if (!existsSync(logFile)) writeFileSync(logFile, '');
    chownToUser(logFile, 'postgres');
  };

  const createCluster = async () => {
    if (role === 'replica') {
      const primary = ['-h', '127.0.0.1', '-p', `${ports.postgresPrimary}`, '-U', 'replicator'];
      // -R writes standby.signal and primary_conninfo; -X stream copies the WAL written meanwhile.
      await asPostgres('pg_basebackup', [...primary, '-D', dir, '-R', '-X', 'stream', '-c', 'fast'], {
        PGPASSWORD: replicationPassword(),
        PGCONNECT_TIMEOUT: '5',
      });
      return;
    }
    const auth = ['--auth-local=trust', '--auth-host=scram-sha-256'];
    await asPostgres('initdb', ['-D', dir, '-U', 'postgres', ...auth, '--encoding=UTF8', '--locale=C.UTF-8']);
    appendFileSync(join(dir, 'postgresql.conf'), "\ninclude 'confeitaria.conf'\n");
  };

  return {
    name,
    kind: 'infra',
    ports: [portOf(role)],
    logFile,
    url: postgresUrl(role, 'postgres'),
    pid,
    async start() {
      if ((await pid()) === undefined) {
        // After a crash, postmaster.pid still names the dead postmaster: Postgres refuses to start while
        // that pid exists, even as a zombie its parent has not reaped yet.
        const crashed = recordedPid();
        if (crashed !== undefined) await waitReaped(crashed);
        prepareDirectories();
        if (!existsSync(join(dir, 'PG_VERSION'))) {
          await step(role === 'primary' ? 'initdb' : 'cloning the primary', createCluster);
        }
        writeOwned(join(dir, 'confeitaria.conf'), settings(role));
        writeOwned(join(dir, 'pg_hba.conf'), hostBasedAccess);
        // -w waits until connections are accepted; a stale postmaster.pid from a crash is handled by Postgres.
        await step('pg_ctl start', () => asPostgres('pg_ctl', ['start', '-w', '-t', '60', '-D', dir, '-l', logFile]));
      }
      if (role === 'primary') await step('creating roles and databases', provisionPrimary);
    },
    async health() {
      return role === 'primary' ? primaryHealth() : replicaHealth();
    },
    async stop() {
      if ((await pid()) === undefined) return;
      try {
        await asPostgres('pg_ctl', ['stop', '-w', '-t', '30', '-m', 'fast', '-D', dir]);
      } catch {
        const running = await pid();
        if (running !== undefined) process.kill(running, 'SIGQUIT');
      }
      while ((await pid()) !== undefined) await sleep(100);
    },
  };
}

/**
 * Roles and databases, at every start of the primary: created when missing, passwords re-applied, and
 * a data directory from before one role per service (everything owned by the operator) handed over to
 * the service roles. Docker mode does the same in deploy/docker/postgres/init-primary.sh.
 */
export async function provisionPrimary(): Promise<void> {
  const connect = async (database: string) => {
    const client = new Client({ host: socketDir, port: ports.postgresPrimary, user: 'postgres', database });
    client.on('error', () => {}); // a crash of the server fails the query under way, never the stack tool
    await client.connect();
    return client;
  };
  const client = await connect('postgres');
  try {
    await ensureRole(client, operator, 'LOGIN', operatorPassword());
    await ensureRole(client, 'replicator', 'LOGIN REPLICATION', replicationPassword());
    // pg_monitor lets the exporters (and health on the replica) read replication statistics.
    await client.query(`GRANT pg_monitor TO ${operator}`);
    // The maintenance database is the operator's (exporters, health probes), not every role's.
    await client.query('REVOKE CONNECT, TEMPORARY ON DATABASE postgres FROM PUBLIC');
    await client.query(`GRANT CONNECT ON DATABASE postgres TO ${operator}`);
    const existing = await client.query<{ datname: string }>('SELECT datname FROM pg_database');
    const names = new Set(existing.rows.map((row) => row.datname));
    for (const database of serviceDatabases) {
      const role = escapeIdentifier(database);
      await ensureRole(client, database, 'LOGIN', servicePassword(database));
      await client.query(`GRANT ${role} TO ${operator}`);
      if (names.has(database)) await client.query(`ALTER DATABASE ${role} OWNER TO ${role}`);
      else await client.query(`CREATE DATABASE ${role} OWNER ${role}`);
      // CONNECT is PUBLIC's by default: without this, every role could open every database.
      await client.query(`REVOKE CONNECT, TEMPORARY ON DATABASE ${role} FROM PUBLIC`);
    }
  } finally {
    await client.end();
  }
  // Only after every database has its owner: REASSIGN also moves the databases the operator still owns.
  for (const database of serviceDatabases) {
    const inside = await connect(database);
    try {
      await inside.query(`REASSIGN OWNED BY ${operator} TO ${escapeIdentifier(database)}`);
    } finally {
      await inside.end();
    }
  }
}

async function ensureRole(client: Client, role: string, attributes: string, password: string): Promise<void> {
  const found = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
  const verb = found.rowCount ? 'ALTER' : 'CREATE';
  await client.query(`${verb} ROLE ${escapeIdentifier(role)} WITH ${attributes} PASSWORD ${escapeLiteral(password)}`);
}

/** Runs one query over TCP as the application role; fails fast and never throws. */
async function probe<T extends object>(role: PostgresRole, sql: string): Promise<T | Error> {
  const client = new Client({
    connectionString: postgresUrl(role, 'postgres'),
    connectionTimeoutMillis: 1_000,
    query_timeout: 1_000,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.query<T>(sql)).rows[0] ?? new Error('no row');
  } catch (error) {
    return error as Error;
  } finally {
    client.end().catch(() => {});
  }
}

async function primaryHealth(): Promise<Health> {
  const row = await probe<{ recovery: boolean }>('primary', 'SELECT pg_is_in_recovery() AS recovery');
  if (row instanceof Error) return { ok: false, detail: row.message };
  return row.recovery ? { ok: false, detail: 'in recovery, not a primary' } : { ok: true, detail: 'accepting writes' };
}

async function replicaHealth(): Promise<Health> {
  const row = await probe<{ recovery: boolean; receiver: string | null; lag: number | null }>(
    'replica',
    `SELECT pg_is_in_recovery() AS recovery, (SELECT status FROM pg_stat_wal_receiver) AS receiver,
            EXTRACT(epoch FROM now() - pg_last_xact_replay_timestamp())::float8 AS lag`,
  );
  if (row instanceof Error) return { ok: false, detail: row.message };
  if (!row.recovery) return { ok: false, detail: 'not in recovery: promoted or misconfigured' };
  if (row.receiver !== 'streaming') return { ok: false, detail: `WAL receiver ${row.receiver ?? 'not running'}` };
  const lag = row.lag === null ? 'nothing replayed yet' : `last replayed transaction ${row.lag.toFixed(1)} s ago`;
  return { ok: true, detail: `streaming, ${lag}` };
}

export const postgresPrimary = (): Component => postgresComponent('primary');
export const postgresReplica = (): Component => postgresComponent('replica');
