import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type RunningService, registry } from '@confeitaria/platform';
import pg from 'pg';
import { start } from '../src/app';

const databaseUrl = process.env.IDENTITY_DATABASE_URL ?? 'postgres://identity:identity@127.0.0.1:15432/identity';

let identity: RunningService;
let base: string;
let db: pg.Pool;

interface Answer {
  status: number;
  retryAfter: number | undefined;
  ms: number;
  body: { type?: string; detail?: string; accessToken?: string };
}

async function post(path: string, body: unknown): Promise<Answer> {
  const started = performance.now();
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const retryAfter = response.headers.get('retry-after');
  return {
    status: response.status,
    retryAfter: retryAfter === null ? undefined : Number(retryAfter),
    ms: performance.now() - started,
    body: (await response.json()) as Answer['body'],
  };
}

/** Posts until the answer is not a 503/429, waiting Retry-After between tries, as a polite client does. */
async function politely(path: string, body: unknown): Promise<{ final: Answer; refusals: Answer[] }> {
  const refusals: Answer[] = [];
  for (;;) {
    const answer = await post(path, body);
    if (answer.status !== 503 && answer.status !== 429) return { final: answer, refusals };
    refusals.push(answer);
    assert.ok(refusals.length < 30, 'a polite client gets through within 30 tries');
    await sleep((answer.retryAfter ?? 1) * 1_000 * (0.5 + Math.random()));
  }
}

async function shedCount(reason: string): Promise<number> {
  const metric = await registry.getSingleMetric('http_requests_shed_total')?.get();
  return metric?.values.find((value) => value.labels.reason === reason)?.value ?? 0;
}

before(async () => {
  db = new pg.Pool({ connectionString: databaseUrl });
  // A small gate, so a modest crowd fills it: the mechanism is the same at the defaults, only sooner.
  identity = await start({
    PORT: 0,
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'silent',
    HASH_CONCURRENCY: 1,
    HASH_QUEUE_LIMIT: 4,
    HASH_MAX_WAIT_MS: 500,
    LOGIN_MAX_FAILURES: 3,
    LOGIN_LOCKOUT_S: 2,
  });
  base = `http://127.0.0.1:${identity.port}`;
});

after(async () => {
  await identity?.stop();
  await db?.end();
});

describe('password hashing admission', () => {
  test('a crowd of logins beyond the hashing queue gets fast 503s with Retry-After, and every one gets in on retry', async () => {
    const password = 'a crowd at the door';
    const emails = Array.from({ length: 30 }, () => `crowd-${randomUUID()}@example.test`);
    for (const email of emails) await politely('/auth/register', { email, password, name: 'Cliente' });
    const shedBefore = await shedCount('hashing_busy');

    const results = await Promise.all(emails.map((email) => politely('/auth/login', { email, password })));
    const refusals = results.flatMap((result) => result.refusals);
    assert.ok(refusals.length > 0, 'thirty logins at once overflow a queue of four');
    for (const refusal of refusals) {
      assert.equal(refusal.status, 503);
      assert.ok(refusal.retryAfter !== undefined && refusal.retryAfter >= 1, 'Retry-After on every refusal');
      assert.match(refusal.body.type ?? '', /overloaded$/);
      // Refused at once or after at most HASH_MAX_WAIT_MS in the queue: never left to a caller's timeout.
      assert.ok(refusal.ms < 1_500, `refused after ${Math.round(refusal.ms)} ms`);
    }
    for (const { final } of results) {
      assert.equal(final.status, 200, JSON.stringify(final.body));
      assert.ok(final.body.accessToken);
    }
    assert.equal(await shedCount('hashing_busy'), shedBefore + refusals.length);
  });
});

describe('failed logins per account', () => {
  test('after LOGIN_MAX_FAILURES wrong passwords the account is refused with 429 before any hashing, then free again', async () => {
    const email = `victim-${randomUUID()}@example.test`;
    const password = 'the right one';
    await politely('/auth/register', { email, password, name: 'Vítima' });
    for (let i = 0; i < 3; i++)
      assert.equal((await post('/auth/login', { email, password: `guess ${i}` })).status, 401);

    const locked = await post('/auth/login', { email, password });
    assert.equal(locked.status, 429, 'even the right password waits out the lock');
    assert.ok(locked.retryAfter !== undefined && locked.retryAfter >= 1 && locked.retryAfter <= 2);
    assert.match(locked.body.detail ?? '', /too many failed logins/);
    assert.equal((await post('/auth/login', { email: email.toUpperCase(), password })).status, 429, 'case-blind');

    const other = `bystander-${randomUUID()}@example.test`;
    await politely('/auth/register', { email: other, password, name: 'Outra' });
    assert.equal((await post('/auth/login', { email: other, password })).status, 200, 'other accounts unaffected');

    await sleep(2_100);
    assert.equal((await post('/auth/login', { email, password })).status, 200, 'free once the lock ran out');
    const { rows } = await db.query('SELECT 1 FROM login_failures WHERE email_key = lower($1)', [email]);
    assert.equal(rows.length, 0, 'a successful login clears the failures');
  });

  test('an unknown address is locked exactly like a registered one, so the lock tells nothing', async () => {
    const email = `nobody-${randomUUID()}@example.test`;
    for (let i = 0; i < 3; i++)
      assert.equal((await post('/auth/login', { email, password: 'x'.repeat(8) })).status, 401);
    assert.equal((await post('/auth/login', { email, password: 'x'.repeat(8) })).status, 429);
  });

  test('concurrent failures are all counted: the statement that counts them cannot lose one', async () => {
    const email = `race-${randomUUID()}@example.test`;
    await politely('/auth/register', { email, password: 'the right one', name: 'Corrida' });
    await Promise.all(Array.from({ length: 3 }, (_, i) => politely('/auth/login', { email, password: `wrong ${i}` })));
    const { rows } = await db.query<{ failures: number }>(
      'SELECT failures FROM login_failures WHERE email_key = lower($1)',
      [email],
    );
    assert.equal(rows[0]?.failures, 3);
    assert.equal((await post('/auth/login', { email, password: 'the right one' })).status, 429);
  });
});
