/**
 * The ways in of issue 15, one class per test, through the live gateway (and, where the class is about
 * the services behind it, straight at their ports). The hostile-input table (bad-input.test.ts) holds
 * the single requests; these are the ones that need a sequence to show.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes, randomUUID, sign } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { benchPort, directEnv, startInstance, stopInstance } from '@confeitaria/bench/instances';
import { useInternalAuthSecret, userHeaders } from '@confeitaria/platform';
import {
  postgresUrl,
  provisionPrimary,
  serviceDatabases,
  serviceDatabaseUrl,
} from '@confeitaria/stack/components/postgres';
import { host, ports } from '@confeitaria/stack/ports';
import { internalAuthSecret } from '@confeitaria/stack/secrets';
import pg from 'pg';
import { Toxiproxy } from 'toxiproxy-node-client';
import { Agent, fetch as undiciFetch } from 'undici';
import { assertAuditClean } from './support/audit';
import { gatewayUrl, toxiproxyUrl } from './support/endpoints';
import { vouchedFor } from './support/internal';
import { admin, api, clientAddress, newCustomer, newProduct, placeOrder, settled } from './support/shop';

interface OpenApi {
  paths: Record<string, Record<string, { security?: unknown[] }>>;
}

/** Case variants of a path: all capitals, capitalised first letter of each segment, one letter flipped. */
function caseVariants(path: string): string[] {
  const upper = path.toUpperCase();
  const title = path.replace(/\/([a-z])/g, (_, c: string) => `/${c.toUpperCase()}`);
  const flipped = path.replace(/[a-z](?=[^/]*$)/, (c) => c.toUpperCase());
  return [...new Set([upper, title, flipped])].filter((variant) => variant !== path);
}

describe('case-variant routes (issue 15.1)', () => {
  test('no case variant of any documented operation is served, errs or skips the caller check', async () => {
    const doc = (await api<OpenApi>('GET', '/api/docs/openapi.json')).body;
    const token = (await newCustomer()).token;
    let sent = 0;
    for (const [template, methods] of Object.entries(doc.paths)) {
      // OpenAPI writes parameters {id}; a valid-looking value keeps the variant about the path alone.
      const id = template.includes('orders') ? '00000000-0000-4000-8000-000000000000' : '1';
      const path = template.replace(/\{[^}]+\}/g, id);
      for (const method of Object.keys(methods).map((m) => m.toUpperCase())) {
        for (const variant of caseVariants(path)) {
          for (const auth of [undefined, token, 'forged.token.value']) {
            const response = await fetch(`${gatewayUrl}${variant}`, {
              method,
              headers: {
                ...(auth ? { authorization: `Bearer ${auth}` } : {}),
                ...(method === 'GET' || method === 'DELETE' ? {} : { 'content-type': 'application/json' }),
              },
              body: method === 'GET' || method === 'DELETE' ? undefined : '{}',
            });
            sent++;
            const text = await response.text();
            assert.ok(response.status < 500, `${method} ${variant}: ${response.status} ${text}`);
            assert.equal(response.status, 404, `${method} ${variant} is not the API's path: ${text}`);
          }
        }
      }
    }
    assert.ok(sent >= 60, `${sent} variants sent`);
  });

  test('logins under a case-variant path never reach identity: the per-address throttle still counts the real one', async () => {
    const from = clientAddress();
    const body = { email: 'nobody@confeitaria.test', password: 'tentativa-1' };
    for (let i = 0; i < 60; i++) {
      const response = await api('POST', i % 2 ? '/API/auth/login' : '/api/Auth/Login', { body, from });
      assert.equal(response.status, 404, JSON.stringify(response.body));
    }
    // The same address's bucket is untouched by the 60 above: its first real attempt is judged on the
    // password (401), not throttled.
    assert.equal((await api('POST', '/api/auth/login', { body, from })).status, 401);
  });
});

describe('impersonation inside the network (issue 15.2)', () => {
  test('straight at every service port, no forged, tampered, expired or wrongly keyed caller is believed', async () => {
    const victim = await newCustomer();
    const product = await newProduct(5);
    const placed = await placeOrder(victim, { items: [{ productId: product.id, quantity: 1 }] });
    const order = await settled(victim, placed.body.id);
    const forgedName = `forjado-${randomUUID()}`;
    const newProductBody = JSON.stringify({
      name: forgedName,
      description: 'criado sem o gateway',
      priceCents: 100,
      category: product.category,
      stock: 1,
    });
    const at = (port: number, path: string) => `http://${host}:${port}${path}`;
    const routes: { name: string; method: string; url: string; body?: string; role: 'customer' | 'admin' }[] = [
      {
        name: 'catalog-1 POST /products',
        method: 'POST',
        url: at(ports.catalog1, '/products'),
        body: newProductBody,
        role: 'admin',
      },
      {
        name: 'catalog-2 POST /products',
        method: 'POST',
        url: at(ports.catalog2, '/products'),
        body: newProductBody,
        role: 'admin',
      },
      { name: 'cart GET /cart', method: 'GET', url: at(ports.cart, '/cart'), role: 'customer' },
      { name: 'cart DELETE /cart', method: 'DELETE', url: at(ports.cart, '/cart'), role: 'customer' },
      { name: 'orders GET /orders', method: 'GET', url: at(ports.orders, '/orders'), role: 'customer' },
      { name: 'orders GET /orders/:id', method: 'GET', url: at(ports.orders, `/orders/${order.id}`), role: 'customer' },
      {
        name: 'payments GET /payments',
        method: 'GET',
        url: at(ports.payments, `/payments?orderId=${order.id}`),
        role: 'admin',
      },
      {
        name: 'notifications GET /notifications',
        method: 'GET',
        url: at(ports.notifications, `/notifications?orderId=${order.id}`),
        role: 'admin',
      },
    ];
    const admin = { id: randomUUID(), role: 'admin' as const };
    const asVictim = { id: victim.id, role: 'customer' as const };
    /** Header sets a process on the network could send without INTERNAL_AUTH_SECRET. */
    const forgeries = (role: 'customer' | 'admin'): [string, Record<string, string>][] => {
      const claimed = role === 'admin' ? admin : asVictim;
      const genuine = vouchedFor(asVictim);
      const [expiry, signature = ''] = (genuine['x-user-assertion'] ?? '').split('.');
      return [
        ['bare x-user-* headers', { 'x-user-id': claimed.id, 'x-user-role': claimed.role }],
        [
          'an assertion of the right shape, made up',
          { 'x-user-id': claimed.id, 'x-user-role': claimed.role, 'x-user-assertion': `${expiry}.${'A'.repeat(43)}` },
        ],
        ['a wrongly keyed assertion', wronglyKeyed(claimed)],
        ['a genuine assertion with its role raised', { ...genuine, 'x-user-role': 'admin' }],
        ['a genuine assertion moved to another user', { ...genuine, 'x-user-id': randomUUID() }],
        [
          'a genuine assertion with its expiry pushed',
          { ...genuine, 'x-user-assertion': `${Number(expiry) + 3600}.${signature}` },
        ],
        ['an assertion that expired a minute ago', withSecret(() => userHeaders(claimed, Date.now() - 60_000))],
      ];
    };
    let sent = 0;
    for (const route of routes) {
      for (const [how, headers] of forgeries(route.role)) {
        const response = await fetch(route.url, {
          method: route.method,
          headers: { ...headers, ...(route.body ? { 'content-type': 'application/json' } : {}) },
          body: route.body,
        });
        const text = await response.text();
        assert.equal(response.status, 401, `${route.name} with ${how}: ${response.status} ${text.slice(0, 200)}`);
        assert.match(response.headers.get('content-type') ?? '', /application\/problem\+json/);
        sent += 1;
      }
      // The same route answers a caller the gateway did vouch for: the 401s above are about the caller.
      if (route.method === 'GET') {
        const vouched = await fetch(route.url, { headers: vouchedFor(route.role === 'admin' ? admin : asVictim) });
        assert.equal(vouched.status, 200, `${route.name}, vouched for: ${vouched.status}`);
        await vouched.text();
      }
    }
    assert.equal(sent, routes.length * 7);
    const { body: cart } = await api<{ items: unknown[] }>('GET', '/api/cart', { token: victim.token });
    assert.ok(Array.isArray(cart.items), "the victim's cart reads as before");
    const mine = await api<{ status: string }>('GET', `/api/orders/${order.id}`, { token: victim.token });
    assert.equal(mine.body.status, order.status, "the victim's order is unchanged");
    const listed = await api<{ items: { name: string }[] }>(
      'GET',
      `/api/products?category=${product.category}&pageSize=100`,
    );
    assert.ok(!listed.body.items.some((item) => item.name === forgedName), 'no product was created');
  });
});

/** `user`'s headers signed with a key that is not INTERNAL_AUTH_SECRET, then the real key restored. */
function wronglyKeyed(user: { id: string; role: 'customer' | 'admin' }): Record<string, string> {
  useInternalAuthSecret(randomBytes(32).toString('base64url'));
  try {
    return userHeaders(user);
  } finally {
    useInternalAuthSecret(internalAuthSecret());
  }
}

/** Headers made with the real key (the tests' own vouchedFor sets it on first use). */
function withSecret(make: () => Record<string, string>): Record<string, string> {
  useInternalAuthSecret(internalAuthSecret());
  return make();
}

describe('numbers past 32 bits (issue 15.7)', () => {
  test('an order of 10¹⁰ cents (past integer’s 2³¹) is accepted, charged and read back exactly', async () => {
    const product = await newProduct(200, 100_000_000);
    const shopper = await newCustomer();
    const placed = await placeOrder(shopper, { items: [{ productId: product.id, quantity: 100 }] });
    assert.equal(placed.status, 202, JSON.stringify(placed.body));
    const order = await settled(shopper, placed.body.id, 60_000);
    assert.equal(order.status, 'CONFIRMED', JSON.stringify(order));
    assert.equal(order.totalCents, 10_000_000_000);
    await assertAuditClean([placed.body.id]);
  });

  test('a product name with a NUL byte is a 400 naming the field, and nothing was created', async () => {
    const token = await admin();
    const name = `Bolo hostil ${Date.now()}`;
    const categories = await api<{ items: { slug: string }[] }>('GET', '/api/categories');
    const category = categories.body.items[0]?.slug ?? 'missing';
    const response = await api('POST', '/api/products', {
      token,
      body: { name: `${name}\u0000`, priceCents: 100, category },
    });
    assert.equal(response.status, 400, JSON.stringify(response.body));
    assert.deepEqual(
      (response.body.errors as { field: string }[]).map((e) => e.field),
      ['/name'],
    );
    const listed = await api<{ items: { name: string }[] }>('GET', `/api/products?category=${category}&pageSize=100`);
    assert.ok(!listed.body.items.some((p) => p.name.startsWith(name)));
  });
});

describe('hardening of responses (issue 15.8)', () => {
  test('tokens and personal data say no-store; every answer says nosniff; the docs page has a CSP', async () => {
    const shopper = await newCustomer();
    const login = await api('POST', '/api/auth/login', {
      body: { email: shopper.email, password: 'senha-forte-123' },
      from: shopper.address,
    });
    assert.equal(login.status, 200);
    assert.equal(login.headers.get('cache-control'), 'no-store', 'a token response');
    for (const path of ['/api/cart', '/api/orders']) {
      const read = await api('GET', path, { token: shopper.token, from: shopper.address });
      assert.equal(read.status, 200, path);
      assert.equal(read.headers.get('cache-control'), 'no-store', path);
    }
    const catalogue = await api('GET', '/api/products');
    assert.notEqual(catalogue.headers.get('cache-control'), 'no-store', 'the public catalogue may be cached');
    for (const path of ['/api/products', '/api/nothing-here', '/api/cart', '/healthz', '/api/docs'])
      assert.equal((await fetch(`${gatewayUrl}${path}`)).headers.get('x-content-type-options'), 'nosniff', path);
    const docs = await fetch(`${gatewayUrl}/api/docs`);
    assert.match(docs.headers.get('content-security-policy') ?? '', /default-src 'none'/);
  });
});

describe('probes off the public port (issue 15.8)', () => {
  test('the gateway answers its probes and its scrape on the management port, and nothing else there', async () => {
    const management = `http://${host}:${ports.gatewayManagement}`;
    for (const path of ['/healthz', '/readyz', '/metrics']) {
      assert.equal((await fetch(`${management}${path}`)).status, 200, path);
      assert.equal((await fetch(`${gatewayUrl}${path}`)).status, 404, `${path} on the public port`);
    }
    assert.match(await (await fetch(`${management}/metrics`)).text(), /http_server_request_duration_seconds_bucket/);
    assert.equal((await fetch(`${management}/api/categories`)).status, 404, 'the API is not on the management port');
  });
});

describe('Toxiproxy as an attack path (issue 15.5)', () => {
  test('an edge re-routed to a forged identity cannot hand the gateway a key: its admin token is refused', async () => {
    // The attacker: a key pair, a JWKS naming it, and an "identity" that serves that JWKS to whoever asks.
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const kid = `attacker-${randomUUID()}`;
    const jwks = { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'ES256', use: 'sig' }] };
    const asked: string[] = [];
    const forged = createServer((request, response) => {
      asked.push(`${request.method} ${request.url}`);
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks));
    });
    forged.listen(0, '127.0.0.1');
    await once(forged, 'listening');
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      sub: randomUUID(),
      role: 'admin',
      email: 'mallory@confeitaria.test',
      iss: 'confeitaria-identity',
      aud: 'confeitaria-api',
      iat: now,
      exp: now + 600,
    };
    const input = `${b64({ alg: 'ES256', typ: 'JWT', kid })}.${b64(claims)}`;
    const token = `${input}.${sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;

    // Whoever reaches Toxiproxy's API re-routes the gateway's edge to identity to their server.
    const toxiproxy = new Toxiproxy(toxiproxyUrl);
    const edge = await toxiproxy.get('gateway-identity');
    const original = edge.upstream;
    const name = `Bolo do atacante ${Date.now()}`;
    try {
      await edge.update({
        enabled: true,
        listen: edge.listen,
        upstream: `127.0.0.1:${(forged.address() as AddressInfo).port}`,
      } as never);
      // Longer than the gateway's key-set cooldown (JWKS_COOLDOWN_MS, 5 s): an unknown kid would have
      // made it fetch the set again, through the re-routed edge, within this loop.
      const statuses = new Set<number>();
      for (const deadline = Date.now() + 7_000; Date.now() < deadline; await sleep(500)) {
        const response = await api('POST', '/api/products', {
          token,
          body: { name, priceCents: 100, category: 'bolos' },
        });
        statuses.add(response.status);
      }
      assert.deepEqual([...statuses], [401], 'every attempt refused as unauthenticated');
      assert.ok(!asked.some((line) => line.includes('jwks')), `the forged identity was asked: ${asked.join(', ')}`);
    } finally {
      await edge.update({ enabled: true, listen: edge.listen, upstream: original } as never);
      forged.close();
    }
    const listed = await api<{ items: { name: string }[] }>('GET', '/api/products?category=bolos&pageSize=100');
    assert.ok(!listed.body.items.some((product) => product.name === name), 'no product was created');
  });
});

describe('brute force across replicas (issue 15.4)', () => {
  test('two gateway processes of the stack share one login budget per address, in the real Redis', async () => {
    // Two more gateways beside the stack's, on the stack's Redis and identity, with a budget small enough
    // to count: 1 login per 50 s and 3 more a minute above it, 4 per address in all.
    const prefix = `security-test-${randomUUID()}`;
    const env = {
      ...directEnv('gateway'),
      INTERNAL_AUTH_SECRET: internalAuthSecret(),
      REDIS_KEY_PREFIX: prefix,
      AUTH_RATE_LIMIT_RPS: '0.02',
      AUTH_RATE_LIMIT_BURST: '3',
    };
    const names = ['test-gateway-a', 'test-gateway-b'];
    const urls: string[] = [];
    try {
      for (const [i, name] of names.entries()) {
        urls.push(await startInstance({ name, service: 'gateway', port: benchPort(90 + i), env, telemetry: false }));
      }
      const from = clientAddress();
      const dispatcher = from ? new Agent({ localAddress: from }) : undefined;
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) {
        const response = await undiciFetch(`${urls[i % 2]}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: `nobody-${randomUUID()}@confeitaria.test`, password: 'tentativa-errada' }),
          ...(dispatcher ? { dispatcher } : {}),
        });
        statuses.push(response.status);
      }
      const through = statuses.filter((status) => status !== 429);
      assert.equal(through.length, 4, `statuses ${statuses.join(' ')}: 4 in all, not 4 per gateway`);
      assert.ok(
        through.every((status) => status === 401),
        `the 4 were judged on the password: ${through.join(' ')}`,
      );
      await dispatcher?.close();
    } finally {
      for (const name of names) await stopInstance(name);
    }
  });
});

describe('data-layer privilege (issue 15.6)', () => {
  test('a database credential reads no private signing key: identity keeps them sealed, and still signs', async () => {
    const db = new pg.Client({ connectionString: postgresUrl('primary', 'identity') });
    await db.connect();
    try {
      const { rows } = await db.query<{ kid: string; private: string }>(
        'SELECT kid, coalesce(private_jwk::text, private_jwe) AS private FROM signing_keys',
      );
      assert.ok(rows.length >= 1, 'identity has keys');
      for (const row of rows) {
        assert.doesNotMatch(row.private, /"d"\s*:/, `${row.kid}: no private scalar in the clear`);
        assert.match(row.private, /^eyJ[\w-]*\.\.[\w-]+\.[\w-]+\.[\w-]+$/, `${row.kid}: a compact JWE`);
      }
    } finally {
      await db.end();
    }
    const user = await newCustomer();
    assert.equal(
      (await api('GET', '/api/cart', { token: user.token })).status,
      200,
      'tokens signed with the sealed key verify',
    );
  });

  /** What connecting as `url` answers: the role it runs as, or the SQLSTATE of the refusal. */
  const connectAs = async (url: string): Promise<{ role: string } | { refused: string; message: string }> => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    client.on('error', () => {});
    try {
      await client.connect();
      const { rows } = await client.query<{ role: string }>('SELECT current_user AS role');
      return { role: rows[0]?.role ?? '?' };
    } catch (error) {
      return { refused: String((error as { code?: string }).code), message: (error as Error).message };
    } finally {
      await client.end().catch(() => {});
    }
  };

  test("each service's credentials open its own database and no other, on the primary and the replica", async () => {
    const servers = [`${host}:${ports.postgresPrimary}`, `${host}:${ports.postgresReplica}`];
    const outcomes: string[] = [];
    for (const server of servers) {
      for (const role of serviceDatabases) {
        for (const database of [...serviceDatabases, 'postgres']) {
          const url = serviceDatabaseUrl(role, server).replace(/\/[a-z]+$/, `/${database}`);
          const answer = await connectAs(url);
          const where = `${role} → ${database} on ${server}`;
          if (database === role) assert.deepEqual(answer, { role }, `${where}: its own database opens`);
          else {
            // 42501 insufficient_privilege: "permission denied for database …", before any table is reachable.
            assert.ok('refused' in answer && answer.refused === '42501', `${where}: ${JSON.stringify(answer)}`);
            assert.match(answer.message, /permission denied for database/);
          }
          outcomes.push(where);
        }
      }
    }
    assert.equal(outcomes.length, 2 * serviceDatabases.length * (serviceDatabases.length + 1));
    for (const database of serviceDatabases) {
      assert.deepEqual(
        await connectAs(postgresUrl('primary', database)),
        { role: 'confeitaria' },
        'the operator reads all',
      );
    }
  });

  test('a database from the one-role era is handed to its service at the next start of the primary', async () => {
    const table = `legacy_${randomUUID().replaceAll('-', '')}`;
    const operator = new pg.Client({ connectionString: postgresUrl('primary', 'orders') });
    const service = new pg.Client({
      connectionString: serviceDatabaseUrl('orders', `${host}:${ports.postgresPrimary}`),
    });
    await operator.connect();
    await service.connect();
    try {
      // What every table was before: created by (so owned by) the shared role.
      await operator.query(`CREATE TABLE ${table} (id int)`);
      await assert.rejects(service.query(`SELECT * FROM ${table}`), /permission denied/, 'orders cannot read it yet');
      await provisionPrimary();
      const { rows } = await operator.query<{ owner: string }>(
        'SELECT tableowner AS owner FROM pg_tables WHERE tablename = $1',
        [table],
      );
      assert.deepEqual(rows, [{ owner: 'orders' }]);
      assert.deepEqual((await service.query(`SELECT count(*)::int AS n FROM ${table}`)).rows, [{ n: 0 }]);
    } finally {
      await operator.query(`DROP TABLE IF EXISTS ${table}`).catch(() => {});
      await Promise.all([operator.end(), service.end()]);
    }
  });
});
