/**
 * The platform's database pool against the real Postgres: a connection the server terminates while the
 * client is checked out does not end the process, becomes a 503 naming the database, and the pool
 * recovers by itself; while the database is known to be down, requests are refused at once.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import pino from 'pino';
import { DatabasePool } from '../src/data/database-pool';
import { withTransaction } from '../src/data/postgres';
import { AppError, toProblem } from '../src/errors/app-error';

const url = process.env.PLATFORM_DATABASE_URL ?? 'postgres://orders:orders@127.0.0.1:15432/orders';
const logger = pino({ level: 'silent' });
const admin = new pg.Pool({ connectionString: url, max: 1 });
admin.on('error', () => {});
after(() => admin.end());

test('a checked-out client whose backend is terminated mid-transaction fails with a 503 naming postgres, and the pool recovers', async () => {
  const pool = new DatabasePool({ name: 'postgres', connectionString: url, logger });
  try {
    const outcome = withTransaction(pool, async (client) => {
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      // The server ends this session between two statements of the transaction (FATAL 57P01): before
      // the pool's fix, the client's unhandled 'error' event ended the process here.
      await admin.query('SELECT pg_terminate_backend($1)', [rows[0]?.pid]);
      await sleep(200);
      await client.query('SELECT 1');
    });
    const error = await outcome.then(
      () => undefined,
      (failure: unknown) => failure,
    );
    assert.ok(error instanceof AppError, `an AppError, not ${String(error)}`);
    assert.equal(error.status, 503);
    assert.equal(error.dependency, 'postgres');
    assert.equal(error.headers['Retry-After'], '1');
    assert.equal(pool.state.isUp, false, 'the outage is known');
    assert.deepEqual((await pool.query<{ one: number }>('SELECT 1 AS one')).rows, [{ one: 1 }]);
    assert.equal(pool.state.isUp, true, 'the next successful connection ends it');
  } finally {
    await pool.end();
  }
});

test('every idle client terminated at once (a server restart) is survived, and the next query reconnects', async () => {
  const pool = new DatabasePool({ name: 'postgres', connectionString: url, logger, max: 4 });
  try {
    const clients = await Promise.all([1, 2, 3, 4].map(() => pool.connect()));
    const pids = await Promise.all(
      clients.map(
        async (client) => (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid,
      ),
    );
    for (const client of clients) client.release();
    await admin.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [pids]);
    await sleep(300);
    assert.deepEqual((await pool.query<{ one: number }>('SELECT 1 AS one')).rows, [{ one: 1 }]);
  } finally {
    await pool.end();
  }
});

test('while the database is down, one attempt probes it and the other requests are refused at once', async () => {
  // A server that accepts connections and never answers: every attempt would wait out the connect timeout.
  let attempts = 0;
  const silent = createServer(() => {
    attempts++;
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const port = (silent.address() as { port: number }).port;
  const pool = new DatabasePool({
    name: 'postgres',
    connectionString: `postgres://orders:orders@127.0.0.1:${port}/orders`,
    logger,
    connectionTimeoutMillis: 1_000,
  });
  try {
    await assert.rejects(pool.query('SELECT 1'), (error: AppError) => error.status === 503);
    assert.equal(pool.state.isUp, false);
    assert.equal(attempts, 1);
    const answers = await Promise.allSettled([1, 2, 3, 4, 5].map(() => pool.query('SELECT 1')));
    assert.ok(answers.every((answer) => answer.status === 'rejected' && (answer.reason as AppError).status === 503));
    assert.equal(attempts, 2, 'five requests, one probe: the other four were refused without a connection');
  } finally {
    await pool.end();
    silent.close();
  }
});

test("Postgres' data exceptions (class 22) from a value that got past validation are the client's 400, not a 500", async () => {
  const statements: [string, unknown[]][] = [
    ['SELECT $1::text AS t', ['nul\u0000byte']], // 22021 character_not_in_repertoire / invalid byte sequence
    ['SELECT $1::integer AS n', [2 ** 40]], // 22003 numeric_value_out_of_range
    ['SELECT $1::uuid AS u', ['not-a-uuid']], // 22P02 invalid_text_representation
  ];
  for (const [sql, values] of statements) {
    const error = await admin.query(sql, values).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    assert.match(String((error as { code?: string })?.code), /^22/, `${sql} fails with a class 22 error`);
    const problem = toProblem(error);
    assert.equal(problem.status, 400, `${sql}: ${JSON.stringify(problem)}`);
    assert.doesNotMatch(problem.detail, /invalid|range|syntax/i, 'the database message is not passed on');
  }
  assert.equal(toProblem(Object.assign(new Error('x'), { code: '23505', severity: 'ERROR' })).status, 500);
});
