/**
 * The Postgres primary killed for real (SIGKILL of the postmaster, not a proxy fault): every route that
 * needs it answers a fast 503 problem naming `postgres`, in every service and through the gateway;
 * routes that do not need it keep answering; no service process exits; and everything answers normally
 * again once the primary is back.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { host, ports } from '@confeitaria/stack/ports';
import { crash, restore, servicePids } from './support/crash';
import { revouched, vouchedFor } from './support/internal';
import { admin, newCustomer, newProduct, placeOrder, settled, type TestUser } from './support/shop';
import { waitFor } from './support/wait';

interface Route {
  name: string;
  url: string;
  method: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** What it answers while the primary is down: 503 naming postgres, or its normal status. */
  whileDown: 503 | number;
  /** Its normal status once the primary is back. */
  normally: number;
}

const at = (port: number, path: string) => `http://${host}:${port}${path}`;
const gateway = (path: string) => at(ports.gateway, path);

async function call(
  route: Route,
): Promise<{ status: number; ms: number; type: string; body: Record<string, unknown>; retryAfter: string | null }> {
  const started = performance.now();
  const response = await fetch(route.url, {
    method: route.method,
    headers: {
      ...(route.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...revouched(route.headers),
    },
    body: route.body === undefined ? undefined : JSON.stringify(route.body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  return {
    status: response.status,
    ms: performance.now() - started,
    type: response.headers.get('content-type') ?? '',
    body: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : {},
    retryAfter: response.headers.get('retry-after'),
  };
}

describe('the Postgres primary crashes', () => {
  let user: TestUser;
  let routes: Route[];
  let pidsBefore: Record<string, number | undefined>;

  before(async () => {
    user = await newCustomer();
    const product = await newProduct(20);
    const placed = await placeOrder(user, { items: [{ productId: product.id, quantity: 1 }] });
    assert.equal(placed.status, 202);
    const order = await settled(user, placed.body.id);
    const token = await admin();
    const asUser = vouchedFor({ id: user.id, role: 'customer' });
    const asAdmin = vouchedFor({ id: randomUUID(), role: 'admin' });
    const bearer = { authorization: `Bearer ${user.token}` };
    const login = { email: user.email, password: 'senha-forte-123' };
    const newUser = () => ({
      email: `down-${randomUUID()}@confeitaria.test`,
      password: 'senha-forte-123',
      name: 'Queda',
    });
    const product0 = {
      name: 'Bolo de teste',
      description: 'teste',
      priceCents: 900,
      category: product.category,
      stock: 3,
    };
    routes = [
      {
        name: 'identity POST /auth/login',
        url: at(ports.identity, '/auth/login'),
        method: 'POST',
        body: login,
        whileDown: 503,
        normally: 200,
      },
      {
        name: 'identity POST /auth/register',
        url: at(ports.identity, '/auth/register'),
        method: 'POST',
        body: newUser(),
        whileDown: 503,
        normally: 201,
      },
      {
        name: 'identity GET /.well-known/jwks.json (cached)',
        url: at(ports.identity, '/.well-known/jwks.json'),
        method: 'GET',
        whileDown: 200,
        normally: 200,
      },
      {
        name: 'catalog-1 POST /products',
        url: at(ports.catalog1, '/products'),
        method: 'POST',
        headers: asAdmin,
        body: product0,
        whileDown: 503,
        normally: 201,
      },
      {
        name: 'catalog-2 PUT /products/:id/stock',
        url: at(ports.catalog2, `/products/${product.id}/stock`),
        method: 'PUT',
        headers: asAdmin,
        body: { stock: 25 },
        whileDown: 503,
        normally: 200,
      },
      {
        name: 'catalog-1 GET /products (replica)',
        url: at(ports.catalog1, '/products'),
        method: 'GET',
        whileDown: 200,
        normally: 200,
      },
      {
        name: 'orders GET /orders',
        url: at(ports.orders, '/orders'),
        method: 'GET',
        headers: asUser,
        whileDown: 503,
        normally: 200,
      },
      {
        name: 'orders GET /orders/:id',
        url: at(ports.orders, `/orders/${order.id}`),
        method: 'GET',
        headers: asUser,
        whileDown: 503,
        normally: 200,
      },
      {
        name: 'orders POST /orders',
        url: at(ports.orders, '/orders'),
        method: 'POST',
        headers: { ...asUser, 'idempotency-key': randomUUID() },
        body: { items: [{ productId: product.id, quantity: 1 }] },
        whileDown: 503,
        normally: 202,
      },
      {
        name: 'payments GET /payments',
        url: at(ports.payments, `/payments?orderId=${order.id}`),
        method: 'GET',
        headers: asAdmin,
        whileDown: 503,
        normally: 200,
      },
      {
        name: 'notifications GET /notifications',
        url: at(ports.notifications, `/notifications?orderId=${order.id}`),
        method: 'GET',
        headers: asAdmin,
        whileDown: 503,
        normally: 200,
      },
      {
        name: 'gateway POST /api/auth/login',
        url: gateway('/api/auth/login'),
        method: 'POST',
        body: login,
        whileDown: 503,
        normally: 200,
      },
      {
        name: 'gateway GET /api/orders',
        url: gateway('/api/orders'),
        method: 'GET',
        headers: bearer,
        whileDown: 503,
        normally: 200,
      },
      {
        name: 'gateway PUT /api/products/:id/stock',
        url: gateway(`/api/products/${product.id}/stock`),
        method: 'PUT',
        headers: { authorization: `Bearer ${token}` },
        body: { stock: 30 },
        whileDown: 503,
        normally: 200,
      },
      {
        name: 'gateway GET /api/products/:id (replica)',
        url: gateway(`/api/products/${product.id}`),
        method: 'GET',
        whileDown: 200,
        normally: 200,
      },
      {
        name: 'gateway GET /api/cart (Redis)',
        url: gateway('/api/cart'),
        method: 'GET',
        headers: bearer,
        whileDown: 200,
        normally: 200,
      },
    ];
    pidsBefore = await servicePids();
    await crash('postgres-primary');
  });

  after(() => restore('postgres-primary'));

  test('each route that needs it answers 503 problem+json naming postgres within 2 s; the others answer', async () => {
    const failures: string[] = [];
    for (const route of routes) {
      const answer = await call(route);
      const line = `${route.name}: ${answer.status} in ${Math.round(answer.ms)} ms ${JSON.stringify(answer.body).slice(0, 160)}`;
      if (answer.status !== route.whileDown) failures.push(`${line} (expected ${route.whileDown})`);
      if (answer.ms > 2_000) failures.push(`${line} (slower than 2 s)`);
      if (route.whileDown === 503) {
        if (!answer.type.startsWith('application/problem+json')) failures.push(`${line} (not problem+json)`);
        if (answer.body.dependency !== 'postgres') failures.push(`${line} (does not name postgres)`);
        if (!answer.retryAfter) failures.push(`${line} (no Retry-After)`);
      }
    }
    assert.deepEqual(failures, []);
  });

  test('no service process exits while the primary is down, and each stays alive (/healthz)', async () => {
    assert.deepEqual(await servicePids(), pidsBefore);
    for (const port of [
      ports.identity,
      ports.catalog1,
      ports.catalog2,
      ports.cart,
      ports.orders,
      ports.payments,
      ports.notifications,
      ports.gatewayManagement,
    ]) {
      const health = await fetch(at(port, '/healthz'));
      assert.equal(health.status, 200, `healthz on ${port}`);
    }
    const orders = await fetch(at(ports.orders, '/readyz'));
    assert.equal(orders.status, 503, 'orders cannot serve what it owns without its database');
    assert.deepEqual(((await orders.json()) as { failing: string[] }).failing, ['postgres']);
    for (const port of [ports.catalog1, ports.cart, ports.gatewayManagement]) {
      assert.equal(
        (await fetch(at(port, '/readyz'))).status,
        200,
        `readyz on ${port}: its requests do not need the primary`,
      );
    }
  });

  test('once the primary is back, every route answers normally again with no other command', async () => {
    const back = Date.now();
    await restore('postgres-primary');
    const slow: string[] = [];
    for (const route of routes) {
      await waitFor(
        `${route.name} to answer ${route.normally}`,
        async () => {
          const body =
            route.name === 'identity POST /auth/register' && route.body
              ? { ...(route.body as Record<string, unknown>), email: `back-${randomUUID()}@confeitaria.test` }
              : route.body;
          const headers = route.headers?.['idempotency-key']
            ? { ...route.headers, 'idempotency-key': randomUUID() }
            : route.headers;
          return (await call({ ...route, body, headers })).status === route.normally ? true : undefined;
        },
        30_000,
      );
      if (Date.now() - back > 10_000) slow.push(route.name);
    }
    assert.deepEqual(slow, [], 'every route answers normally within 10 s of the primary being back');
    assert.deepEqual(await servicePids(), pidsBefore, 'no service process was restarted');
  });
});
