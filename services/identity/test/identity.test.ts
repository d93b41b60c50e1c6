import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { RunningService } from '@confeitaria/platform';
import {
  createLocalJWKSet,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  type JSONWebKeySet,
  jwtVerify,
  SignJWT,
} from 'jose';
import pg from 'pg';
import { start } from '../src/app';
import { KeyEncryption } from '../src/domain/key-encryption';

const databaseUrl = process.env.IDENTITY_DATABASE_URL ?? 'postgres://identity:identity@127.0.0.1:15432/identity';
const issuer = 'confeitaria-identity';
const audience = 'confeitaria-api';

let identity: RunningService;
let base: string;
let db: pg.Pool;

const uniqueEmail = (tag = 'user') => `${tag}-${randomUUID()}@example.test`;
const decodeJwtRole = (token: string) =>
  (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { role?: string }).role;

/** The union of the shapes the routes answer with (user, token, problem). */
interface ResponseBody {
  id: string;
  email: string;
  name: string;
  accessToken: string;
  tokenType: string;
  expiresIn: number;
  status: number;
  detail: string;
  errors: Array<{ field: string; message: string }>;
}
interface Reply {
  status: number;
  type: string;
  body: ResponseBody;
}

async function post(path: string, body: unknown, url = base): Promise<Reply> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    body: text ? JSON.parse(text) : undefined,
  };
}

async function jwks(url = base): Promise<JSONWebKeySet> {
  const response = await fetch(`${url}/.well-known/jwks.json`);
  assert.equal(response.status, 200);
  return (await response.json()) as JSONWebKeySet;
}

async function registerUser(email = uniqueEmail(), password = 'correct horse battery', name = 'Ana Doce') {
  const response = await post('/auth/register', { email, password, name });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return { ...response.body, password };
}

function assertProblem(response: Reply, status: number) {
  assert.equal(response.status, status, JSON.stringify(response.body));
  assert.match(response.type, /^application\/problem\+json/);
  assert.equal(response.body.status, status);
}

before(async () => {
  db = new pg.Pool({ connectionString: databaseUrl });
  identity = await start({ PORT: 0, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' });
  base = `http://127.0.0.1:${identity.port}`;
});

after(async () => {
  await identity?.stop();
  await db?.end();
});

describe('registration', () => {
  test('a new customer is created and answered with id, email and name only', async () => {
    const email = uniqueEmail();
    const response = await post('/auth/register', { email, password: 'sugar and spice', name: 'Bia' });
    assert.equal(response.status, 201);
    assert.deepEqual(Object.keys(response.body).sort(), ['email', 'id', 'name']);
    assert.match(response.body.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(response.body.email, email);
    assert.equal(response.body.name, 'Bia');
    const { rows } = await db.query('SELECT role FROM users WHERE id = $1', [response.body.id]);
    assert.equal(rows[0]?.role, 'customer');
  });

  test('the password is stored only as an argon2id hash, never in clear', async () => {
    const user = await registerUser(uniqueEmail(), 'plain-text-would-be-bad');
    const { rows } = await db.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [
      user.id,
    ]);
    const hash = rows[0]?.password_hash ?? '';
    assert.match(hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    assert.doesNotMatch(hash, /plain-text-would-be-bad/);
    const other = await registerUser(uniqueEmail(), 'plain-text-would-be-bad');
    const { rows: otherRows } = await db.query('SELECT password_hash FROM users WHERE id = $1', [other.id]);
    assert.notEqual(otherRows[0]?.password_hash, hash, 'each hash has its own salt');
  });

  test('an email already registered is refused with 409, whatever its case', async () => {
    const user = await registerUser();
    assertProblem(await post('/auth/register', { email: user.email, password: 'another password', name: 'X' }), 409);
    const upper = user.email.toUpperCase();
    const response = await post('/auth/register', { email: upper, password: 'another password', name: 'X' });
    assertProblem(response, 409);
    assert.match(response.body.detail, /email/);
  });

  test('ten concurrent registrations of one email give exactly one 201 and nine 409', async () => {
    const email = uniqueEmail('race');
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        post('/auth/register', { email: i % 2 ? email.toUpperCase() : email, password: 'racing cakes', name: `R${i}` }),
      ),
    );
    const statuses = responses.map((response) => response.status).sort();
    assert.deepEqual(statuses, [201, ...Array(9).fill(409)]);
    for (const response of responses.filter((r) => r.status === 409)) assertProblem(response, 409);
    const { rows } = await db.query('SELECT count(*)::int AS n FROM users WHERE lower(email) = lower($1)', [email]);
    assert.equal(rows[0]?.n, 1);
  });

  const invalidBodies: Array<[string, unknown, string]> = [
    ['a missing password', { email: uniqueEmail(), name: 'N' }, '/password'],
    ['a password shorter than 8 characters', { email: uniqueEmail(), password: 'short', name: 'N' }, '/password'],
    ['a malformed email', { email: 'not-an-email', password: 'long enough pw', name: 'N' }, '/email'],
    ['an unexpected field', { email: uniqueEmail(), password: 'long enough pw', name: 'N', role: 'admin' }, 'role'],
    ['a number as name', { email: uniqueEmail(), password: 'long enough pw', name: 42 }, '/name'],
    ['an array as email', { email: ['a@b.c'], password: 'long enough pw', name: 'N' }, '/email'],
    ['a blank name', { email: uniqueEmail(), password: 'long enough pw', name: '   ' }, '/name'],
  ];
  for (const [what, body, field] of invalidBodies) {
    test(`${what} is refused with 400 naming ${field}`, async () => {
      const response = await post('/auth/register', body);
      assertProblem(response, 400);
      assert.ok(
        response.body.errors.some((e) => `${e.field} ${e.message}`.includes(field)),
        JSON.stringify(response.body.errors),
      );
    });
  }

  test('a broken JSON body gets a 400 problem, not a 500', async () => {
    assertProblem(await post('/auth/register', '{"email": '), 400);
  });
});

describe('login', () => {
  test('valid credentials give a Bearer token that verifies against the served JWKS', async () => {
    const user = await registerUser();
    const response = await post('/auth/login', { email: user.email.toUpperCase(), password: user.password });
    assert.equal(response.status, 200);
    assert.equal(response.body.tokenType, 'Bearer');
    assert.equal(response.body.expiresIn, 3600);
    const keySet = createLocalJWKSet(await jwks());
    const { payload, protectedHeader } = await jwtVerify(response.body.accessToken, keySet, {
      issuer,
      audience,
      algorithms: ['ES256'],
    });
    assert.equal(payload.sub, user.id);
    assert.equal(payload.role, 'customer');
    assert.equal(payload.email, user.email);
    assert.equal((payload.exp ?? 0) - (payload.iat ?? 0), 3600);
    assert.ok(protectedHeader.kid);
  });

  test('the JWKS publishes public keys only', async () => {
    const { keys } = await jwks();
    assert.ok(keys.length >= 1);
    for (const key of keys) {
      assert.equal(key.kty, 'EC');
      assert.equal(key.alg, 'ES256');
      assert.ok(key.kid);
      assert.equal(key.d, undefined, 'no private component');
    }
  });

  test('a wrong password and an unknown email get the same 401 problem', async () => {
    const user = await registerUser();
    const wrong = await post('/auth/login', { email: user.email, password: 'not the password' });
    const unknown = await post('/auth/login', { email: uniqueEmail('ghost'), password: 'not the password' });
    assertProblem(wrong, 401);
    assertProblem(unknown, 401);
    assert.equal(wrong.body.detail, unknown.body.detail);
  });

  test('an unknown email takes about as long to refuse as a wrong password', async () => {
    const user = await registerUser();
    const timed = async (email: string) => {
      const started = performance.now();
      assert.equal((await post('/auth/login', { email, password: 'not the password' })).status, 401);
      return performance.now() - started;
    };
    const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
    const wrong: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 5; i++) {
      wrong.push(await timed(user.email));
      unknown.push(await timed(uniqueEmail('ghost')));
    }
    // Without the dummy hash an unknown email answers in ~1 ms against ~30+ ms for a wrong password.
    assert.ok(median(unknown) > median(wrong) * 0.4, `unknown ${median(unknown)} ms vs wrong ${median(wrong)} ms`);
  });

  test('an invalid login body is refused with 400 naming the field', async () => {
    const response = await post('/auth/login', { email: 'nobody', password: 123 });
    assertProblem(response, 400);
    const fields = response.body.errors.map((e) => e.field);
    assert.ok(fields.includes('/email') && fields.includes('/password'), JSON.stringify(fields));
  });

  test('a token signed by another key does not verify against the JWKS', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const servedKid = (await jwks()).keys[0]?.kid ?? 'x';
    const keySet = createLocalJWKSet(await jwks());
    for (const kid of [servedKid, 'forged-kid']) {
      const forged = await new SignJWT({ role: 'admin', email: 'evil@example.test' })
        .setProtectedHeader({ alg: 'ES256', kid })
        .setSubject(randomUUID())
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(privateKey);
      await assert.rejects(jwtVerify(forged, keySet, { issuer, audience }));
    }
  });
});

describe('seeded admin', () => {
  test('the default admin exists with role admin', async () => {
    const { rows } = await db.query("SELECT role FROM users WHERE lower(email) = 'admin@confeitaria.local'");
    assert.equal(rows[0]?.role, 'admin');
  });

  test('the configured admin is created, logs in with role admin, and keeps its password on restart', async () => {
    const email = uniqueEmail('admin');
    const first = await start({
      PORT: 0,
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'silent',
      ADMIN_EMAIL: email,
      ADMIN_PASSWORD: 'first-admin-pw',
    });
    await first.stop();
    const second = await start({
      PORT: 0,
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'silent',
      ADMIN_EMAIL: email,
      ADMIN_PASSWORD: 'second-admin-pw',
    });
    try {
      const url = `http://127.0.0.1:${second.port}`;
      assertProblem(await post('/auth/login', { email, password: 'second-admin-pw' }, url), 401);
      const response = await post('/auth/login', { email, password: 'first-admin-pw' }, url);
      assert.equal(response.status, 200);
      const { payload } = await jwtVerify(response.body.accessToken, createLocalJWKSet(await jwks(url)), {
        issuer,
        audience,
      });
      assert.equal(payload.role, 'admin');
    } finally {
      await second.stop();
    }
  });
});

describe('seeded admin: never a promotion, never a default outside local mode', () => {
  test('ADMIN_EMAIL naming an address a customer registered does not make that customer an admin', async () => {
    const email = uniqueEmail('squatter');
    assert.equal((await post('/auth/register', { email, password: 'squatter-pw-1', name: 'Squatter' })).status, 201);
    const restarted = await start({
      PORT: 0,
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'silent',
      ADMIN_EMAIL: email,
      ADMIN_PASSWORD: 'configured-admin-pw',
    });
    try {
      const { rows } = await db.query('SELECT role FROM users WHERE lower(email) = lower($1)', [email]);
      assert.deepEqual(
        rows.map((row) => row.role),
        ['customer'],
      );
      const url = `http://127.0.0.1:${restarted.port}`;
      assertProblem(await post('/auth/login', { email, password: 'configured-admin-pw' }, url), 401);
      const login = await post('/auth/login', { email, password: 'squatter-pw-1' }, url);
      assert.equal(decodeJwtRole(login.body.accessToken), 'customer');
    } finally {
      await restarted.stop();
    }
  });

  test('outside local mode the documented default admin password and internal secret are refused at start', async () => {
    const refused = await start({
      PORT: 0,
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'silent',
      DEPLOYMENT_ENVIRONMENT: 'kubernetes',
    }).catch((error: Error) => error);
    assert.ok(refused instanceof Error, 'refused');
    assert.match(refused.message, /refusing to start in kubernetes with the documented local default of/);
    for (const key of ['INTERNAL_AUTH_SECRET', 'ADMIN_PASSWORD', 'DATABASE_URL'])
      assert.match(refused.message, new RegExp(key));
    const own = await start({
      PORT: 0,
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'silent',
      DEPLOYMENT_ENVIRONMENT: 'kubernetes',
      ADMIN_EMAIL: uniqueEmail('k8s-admin'),
      ADMIN_PASSWORD: 'a-real-admin-password',
      INTERNAL_AUTH_SECRET: 'a-real-internal-secret-of-32-chars!',
    }).catch((error: Error) => error);
    // The database URL still carries the local default password: refused too, by name.
    assert.ok(own instanceof Error && /DATABASE_URL/.test(own.message), String(own));
  });
});

describe('signing key rotation', () => {
  test('an expired active key is rotated; tokens it signed still verify; long-retired keys are not published', async () => {
    const user = await registerUser();
    const before = await post('/auth/login', { email: user.email, password: user.password });
    const oldKid = decodeProtectedHeader(before.body.accessToken).kid;
    await db.query("UPDATE signing_keys SET created_at = now() - interval '31 days' WHERE kid = $1", [oldKid]);
    const ancientKid = `ancient-${randomUUID()}`;
    await db.query(
      `INSERT INTO signing_keys (kid, public_jwk, private_jwk, created_at, retired_at)
       VALUES ($1, $2, '{}', now() - interval '90 days', now() - interval '60 days')`,
      [ancientKid, JSON.stringify({ kty: 'EC', crv: 'P-256', kid: ancientKid, x: 'x', y: 'y' })],
    );

    const rotated = await start({ PORT: 0, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' });
    try {
      const url = `http://127.0.0.1:${rotated.port}`;
      const after = await post('/auth/login', { email: user.email, password: user.password }, url);
      const newKid = decodeProtectedHeader(after.body.accessToken).kid;
      assert.notEqual(newKid, oldKid);
      const published = await jwks(url);
      const kids = published.keys.map((key) => key.kid);
      assert.ok(kids.includes(oldKid) && kids.includes(newKid), JSON.stringify(kids));
      assert.ok(!kids.includes(ancientKid));
      const keySet = createLocalJWKSet(published);
      await jwtVerify(before.body.accessToken, keySet, { issuer, audience });
      await jwtVerify(after.body.accessToken, keySet, { issuer, audience });
      const { rows } = await db.query('SELECT count(*)::int AS n FROM signing_keys WHERE kid = $1', [ancientKid]);
      assert.equal(rows[0]?.n, 0, 'keys retired longer than a token lifetime are deleted');
    } finally {
      await rotated.stop();
    }
  });
});

describe('signing keys at rest (issue 15.6)', () => {
  const localDefault = 'local-only-signing-key-encryption-key';

  test('the database holds no private key parameter, only a JWE that the configured secret opens and another does not', async () => {
    const { rows } = await db.query<{ kid: string; private_jwk: unknown; private_jwe: string | null }>(
      'SELECT kid, private_jwk, private_jwe FROM signing_keys WHERE retired_at IS NULL',
    );
    assert.ok(rows.length >= 1);
    const plain = await db.query("SELECT count(*)::int AS n FROM signing_keys WHERE private_jwk ? 'd'");
    assert.equal(plain.rows[0]?.n, 0, 'no private scalar d stored in the clear');
    for (const row of rows) {
      assert.equal(row.private_jwk, null, row.kid);
      assert.match(row.private_jwe ?? '', /^[\w-]+\.\.[\w-]+\.[\w-]+\.[\w-]+$/, 'a compact JWE, dir + A256GCM');
      const opened = await new KeyEncryption(localDefault).open(row.private_jwe as string);
      assert.equal(typeof opened.d, 'string');
      await assert.rejects(new KeyEncryption('some-other-secret-entirely').open(row.private_jwe as string));
    }
  });

  test('a key stored in the clear is sealed at the next start; under a changed secret a new key signs, and the old tokens still verify', async () => {
    // A key as migration 002 left it: active, private half in the clear.
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const kid = `plain-${randomUUID()}`;
    await db.query('UPDATE signing_keys SET retired_at = now() WHERE retired_at IS NULL');
    await db.query('INSERT INTO signing_keys (kid, public_jwk, private_jwk) VALUES ($1, $2, $3)', [
      kid,
      JSON.stringify({ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }),
      JSON.stringify({ ...(await exportJWK(privateKey)), kid, alg: 'ES256' }),
    ]);
    const user = await registerUser();
    const sealing = await start({ PORT: 0, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' });
    let oldToken = '';
    try {
      const login = await post(
        '/auth/login',
        { email: user.email, password: user.password },
        `http://127.0.0.1:${sealing.port}`,
      );
      oldToken = login.body.accessToken;
      assert.equal(decodeProtectedHeader(oldToken).kid, kid, 'the old key keeps signing');
      const { rows } = await db.query('SELECT private_jwk, private_jwe FROM signing_keys WHERE kid = $1', [kid]);
      assert.equal(rows[0]?.private_jwk, null, 'the clear copy is gone');
      assert.equal((await new KeyEncryption(localDefault).open(rows[0]?.private_jwe)).kid, kid);
    } finally {
      await sealing.stop();
    }
    const changed = await start({
      PORT: 0,
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'silent',
      SIGNING_KEY_ENCRYPTION_KEY: 'a-changed-encryption-secret',
    });
    try {
      const url = `http://127.0.0.1:${changed.port}`;
      const login = await post('/auth/login', { email: user.email, password: user.password }, url);
      assert.equal(login.status, 200);
      assert.notEqual(decodeProtectedHeader(login.body.accessToken).kid, kid, 'a key it can open signs');
      const keySet = createLocalJWKSet(await jwks(url));
      await jwtVerify(oldToken, keySet, { issuer, audience });
      await jwtVerify(login.body.accessToken, keySet, { issuer, audience });
    } finally {
      await changed.stop();
    }
  });
});

describe('operations', () => {
  test('readiness reports postgres and metrics count logins and registrations', async () => {
    const ready = await fetch(`${base}/readyz`);
    assert.equal(ready.status, 200);
    assert.equal(((await ready.json()) as { checks: Record<string, string> }).checks.postgres, 'ok');
    const metrics = await (await fetch(`${base}/metrics`)).text();
    assert.match(metrics, /identity_logins_total\{outcome="success"\} [1-9]/);
    assert.match(metrics, /identity_logins_total\{outcome="failure"\} [1-9]/);
    assert.match(metrics, /identity_registrations_total(_total)? [1-9]/);
  });
});
