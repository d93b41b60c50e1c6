/**
 * Every endpoint of the public API contract (DESIGN.md §2) through the gateway of the live stack:
 * its success and its listed failures.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { gatewayUrl } from './support/endpoints';
import {
  admin,
  api,
  newCustomer,
  newProduct,
  type OrderView,
  placeOrder,
  settled,
  type TestUser,
} from './support/shop';
import { waitFor } from './support/wait';

let alice: TestUser;
let bob: TestUser;
before(async () => {
  [alice, bob] = await Promise.all([newCustomer(), newCustomer()]);
});

const isProblem = (headers: Headers) => /^application\/problem\+json/.test(headers.get('content-type') ?? '');

describe('auth', () => {
  test('register answers 201 with the user, 409 for a taken email, 400 for invalid input', async () => {
    const email = `reg-${randomUUID()}@confeitaria.test`;
    const created = await api('POST', '/api/auth/register', {
      body: { email, password: 'senha-forte-1', name: 'Ana' },
    });
    assert.equal(created.status, 201);
    assert.deepEqual(Object.keys(created.body).sort(), ['email', 'id', 'name']);
    const taken = await api('POST', '/api/auth/register', {
      body: { email: email.toUpperCase(), password: 'senha-forte-1', name: 'Ana' },
    });
    assert.equal(taken.status, 409);
    assert.ok(isProblem(taken.headers));
    const invalid = await api('POST', '/api/auth/register', {
      body: { email: 'not-an-email', password: 'x', name: '' },
    });
    assert.equal(invalid.status, 400);
  });

  test('login answers 200 with a bearer token, 401 for a wrong password or unknown email', async () => {
    const ok = await api('POST', '/api/auth/login', { body: { email: alice.email, password: 'senha-forte-123' } });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.tokenType, 'Bearer');
    assert.ok(Number(ok.body.expiresIn) > 0);
    const wrong = await api('POST', '/api/auth/login', { body: { email: alice.email, password: 'errada-123' } });
    assert.equal(wrong.status, 401);
    const unknown = await api('POST', '/api/auth/login', {
      body: { email: `x-${randomUUID()}@x.test`, password: 'a' },
    });
    assert.equal(unknown.status, 401);
  });
});

describe('catalog', () => {
  test('categories and products can be browsed, filtered by category and paged', async () => {
    const categories = await api<{ items: { id: number; slug: string; name: string }[] }>('GET', '/api/categories');
    assert.equal(categories.status, 200);
    assert.ok(categories.body.items.length >= 5, 'at least five categories');
    const page = await api<{
      items: { id: number; category: string; currency: string }[];
      total: number;
      page: number;
      pageSize: number;
    }>('GET', '/api/products?page=1&pageSize=5');
    assert.equal(page.status, 200);
    assert.equal(page.body.items.length, 5);
    assert.ok(page.body.total >= 30, 'at least thirty products');
    assert.equal(page.body.items[0]?.currency, 'BRL');
    const slug = categories.body.items[0]?.slug ?? '';
    const filtered = await api<{ items: { category: string }[] }>('GET', `/api/products?category=${slug}`);
    assert.ok(filtered.body.items.length > 0 && filtered.body.items.every((p) => p.category === slug));
    assert.equal((await api('GET', '/api/products?page=0')).status, 400);
    assert.equal((await api('GET', '/api/products?pageSize=1000')).status, 400);
  });

  test('a product is read by id; an unknown id is 404', async () => {
    const product = await newProduct(5);
    const read = await api('GET', `/api/products/${product.id}`);
    assert.equal(read.status, 200);
    assert.equal(read.body.id, product.id);
    assert.equal((await api('GET', '/api/products/999999999')).status, 404);
  });

  test('only an admin creates products and sets stock (401 without a token, 403 for a customer)', async () => {
    const body = { name: 'Quindim', description: 'gema e coco', priceCents: 900, category: 'x', stock: 1 };
    assert.equal((await api('POST', '/api/products', { body })).status, 401);
    assert.equal((await api('POST', '/api/products', { body, token: alice.token })).status, 403);
    assert.equal(
      (await api('POST', '/api/products', { body: { ...body, priceCents: -1 }, token: await admin() })).status,
      400,
    );
    const product = await newProduct(3);
    const restocked = await api('PUT', `/api/products/${product.id}/stock`, {
      body: { stock: 7 },
      token: await admin(),
    });
    assert.equal(restocked.status, 200);
    assert.equal(restocked.body.stock, 7);
    assert.equal(
      (await api('PUT', `/api/products/${product.id}/stock`, { body: { stock: -1 }, token: await admin() })).status,
      400,
    );
    assert.equal(
      (await api('PUT', '/api/products/999999999/stock', { body: { stock: 1 }, token: await admin() })).status,
      404,
    );
    assert.equal(
      (await api('PUT', `/api/products/${product.id}/stock`, { body: { stock: 1 }, token: alice.token })).status,
      403,
    );
  });
});

describe('cart', () => {
  test('a customer adds, reads, removes and clears cart items; 401 without a token', async () => {
    const product = await newProduct(20, 1_500);
    const user = await newCustomer();
    assert.equal((await api('GET', '/api/cart')).status, 401);
    const empty = await api<{ items: unknown[]; totalCents: number }>('GET', '/api/cart', { token: user.token });
    assert.deepEqual(empty.body, { items: [], totalCents: 0 });
    const added = await api<{ items: unknown[]; totalCents: number }>('POST', '/api/cart/items', {
      token: user.token,
      body: { productId: product.id, quantity: 2 },
    });
    assert.equal(added.status, 200);
    assert.equal(added.body.totalCents, 3_000);
    assert.equal(
      (await api('POST', '/api/cart/items', { token: user.token, body: { productId: 999999999, quantity: 1 } })).status,
      404,
    );
    assert.equal(
      (await api('POST', '/api/cart/items', { token: user.token, body: { productId: product.id, quantity: 0 } }))
        .status,
      400,
    );
    const removed = await api<{ items: unknown[] }>('DELETE', `/api/cart/items/${product.id}`, { token: user.token });
    assert.equal(removed.status, 200);
    assert.deepEqual(removed.body.items, []);
    await api('POST', '/api/cart/items', { token: user.token, body: { productId: product.id, quantity: 1 } });
    assert.equal((await api('DELETE', '/api/cart', { token: user.token })).status, 204);
  });
});

describe('orders', () => {
  test('an order is accepted with 202 and Location, and confirmed by the saga', async () => {
    const product = await newProduct(10, 2_000);
    const accepted = await placeOrder(alice, { items: [{ productId: product.id, quantity: 3 }] });
    assert.equal(accepted.status, 202);
    assert.equal(accepted.body.status, 'PENDING');
    assert.equal(accepted.headers.get('location'), `/api/orders/${accepted.body.id}`);
    assert.equal(accepted.body.totalCents, 6_000);
    const final = await settled(alice, accepted.body.id);
    assert.equal(final.status, 'CONFIRMED');
    const stock = await api('GET', `/api/products/${product.id}`);
    assert.equal(stock.body.stock, 7);
  });

  test('tok_decline cancels the order with PAYMENT_DECLINED and returns the stock', async () => {
    const product = await newProduct(4);
    const accepted = await placeOrder(alice, {
      items: [{ productId: product.id, quantity: 2 }],
      paymentToken: 'tok_decline',
    });
    const final = await settled(alice, accepted.body.id);
    assert.deepEqual([final.status, final.reason], ['CANCELLED', 'PAYMENT_DECLINED']);
    await (async () => {
      for (let i = 0; i < 40; i++) {
        if ((await api('GET', `/api/products/${product.id}`)).body.stock === 4) return;
        await new Promise((r) => setTimeout(r, 250));
      }
      assert.fail('stock not released after the cancellation');
    })();
  });

  test('more than the stock is cancelled with OUT_OF_STOCK', async () => {
    const product = await newProduct(1);
    const accepted = await placeOrder(alice, { items: [{ productId: product.id, quantity: 2 }] });
    const final = await settled(alice, accepted.body.id);
    assert.deepEqual([final.status, final.reason], ['CANCELLED', 'OUT_OF_STOCK']);
  });

  test('an order from the cart is confirmed and the cart is cleared', async () => {
    const product = await newProduct(5, 700);
    const user = await newCustomer();
    await api('POST', '/api/cart/items', { token: user.token, body: { productId: product.id, quantity: 2 } });
    const accepted = await placeOrder(user, { fromCart: true });
    assert.equal(accepted.status, 202);
    assert.equal((await settled(user, accepted.body.id)).status, 'CONFIRMED');
    // The cart is cleared by its consumer of order.confirmed, a moment after the confirmation.
    await waitFor('the cart to be cleared', async () => {
      const cart = await api<{ items: unknown[] }>('GET', '/api/cart', { token: user.token });
      return cart.body.items.length === 0 ? true : undefined;
    });
    assert.equal((await placeOrder(user, { fromCart: true })).status, 400, 'an empty cart cannot be ordered');
  });

  test('Idempotency-Key: the same request returns the same order; another body with the key is 409', async () => {
    const product = await newProduct(10);
    const key = randomUUID();
    const body = { items: [{ productId: product.id, quantity: 1 }] };
    const first = await placeOrder(alice, body, { 'idempotency-key': key });
    const again = await placeOrder(alice, body, { 'idempotency-key': key });
    assert.equal(first.status, 202);
    assert.equal(again.status, 202);
    assert.equal(again.body.id, first.body.id);
    const other = await placeOrder(
      alice,
      { items: [{ productId: product.id, quantity: 2 }] },
      { 'idempotency-key': key },
    );
    assert.equal(other.status, 409);
    await settled(alice, first.body.id);
  });

  test('orders fail with 400 on bad input, 401 without a token, 404 for an unknown product', async () => {
    assert.equal((await placeOrder(alice, { items: [] })).status, 400);
    assert.equal((await api('POST', '/api/orders', { body: { items: [{ productId: 1, quantity: 1 }] } })).status, 401);
    const unknown = await placeOrder(alice, { items: [{ productId: 999999999, quantity: 1 }] });
    assert.equal(unknown.status, 404);
  });

  test("a customer reads and lists their own orders; another customer's order is 404", async () => {
    const product = await newProduct(3);
    const accepted = await placeOrder(alice, { items: [{ productId: product.id, quantity: 1 }] });
    assert.equal((await api('GET', `/api/orders/${accepted.body.id}`, { token: alice.token })).status, 200);
    assert.equal((await api('GET', `/api/orders/${accepted.body.id}`, { token: bob.token })).status, 404);
    assert.equal((await api('GET', `/api/orders/${randomUUID()}`, { token: alice.token })).status, 404);
    const list = await api<{ items: OrderView[] }>('GET', '/api/orders', { token: alice.token });
    assert.ok(list.body.items.some((order) => order.id === accepted.body.id));
    const bobs = await api<{ items: OrderView[] }>('GET', '/api/orders', { token: bob.token });
    assert.ok(!bobs.body.items.some((order) => order.id === accepted.body.id));
    await settled(alice, accepted.body.id);
  });
});

describe('platform routes', () => {
  test('the public port serves the API only: no probe and no scrape a client could order (issue 15.8); every response carries traceparent', async () => {
    // The probes and /metrics answer on the gateway's management port, which this suite (also run
    // against docker mode's published port) does not reach: security.test.ts checks them in local mode.
    for (const path of [
      '/healthz',
      '/readyz',
      '/metrics',
      '/METRICS',
      '/metrics/',
      '/metrics//',
      '/healthz/',
      '/%6Detrics',
    ]) {
      const response = await fetch(`${gatewayUrl}${path}`);
      assert.equal(response.status, 404, `${path} on the public port: ${response.status}`);
      assert.match(response.headers.get('content-type') ?? '', /problem\+json/);
    }
    const response = await api('GET', '/api/categories');
    assert.match(response.headers.get('traceparent') ?? '', /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  test('the API is documented at /api/docs (JSON and a page)', async () => {
    const spec = await api<{ paths: Record<string, unknown> }>('GET', '/api/docs/openapi.json');
    assert.equal(spec.status, 200);
    for (const path of ['/api/auth/register', '/api/products/{id}', '/api/cart/items', '/api/orders/{id}']) {
      assert.ok(spec.body.paths[path], `${path} documented`);
    }
    const page = await fetch(`${gatewayUrl}/api/docs`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
  });
});
