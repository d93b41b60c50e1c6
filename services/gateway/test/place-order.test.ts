import './support/telemetry';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, test } from 'node:test';
import { type GatewayUnderTest, problemOf, startGatewayUnderTest } from './support/gateway-under-test';
import { json } from './support/stand-in-server';

let gw: GatewayUnderTest;
before(async () => {
  gw = await startGatewayUnderTest();
});
after(() => gw.stop());
beforeEach(() => {
  gw.orders.reply = (request, response) => {
    const id = randomUUID();
    json(response, 202, { id, status: 'PENDING', echo: JSON.parse(request.body) }, { location: `/orders/${id}` });
  };
});

const cartWith = (items: { productId: number; quantity: number; unitPriceCents: number }[]) =>
  ((_request, response) =>
    json(response, 200, {
      items,
      totalCents: items.reduce((sum, item) => sum + item.quantity * item.unitPriceCents, 0),
    })) as typeof gw.cart.reply;

test('an order from the cart is placed with the cart lines, the payment token and the Idempotency-Key', async () => {
  const sub = randomUUID();
  const key = randomUUID();
  gw.cart.reply = cartWith([
    { productId: 3, quantity: 2, unitPriceCents: 350 },
    { productId: 8, quantity: 1, unitPriceCents: 1200 },
  ]);
  const token = await gw.identity.sign({ sub });
  const response = await gw.call('/api/orders', {
    method: 'POST',
    token,
    headers: { 'idempotency-key': key },
    json: { fromCart: true, paymentToken: 'tok_decline' },
  });
  assert.equal(response.status, 202);
  assert.match(response.headers.get('location') ?? '', /^\/api\/orders\/[0-9a-f-]{36}$/);

  const cartRead = gw.cart.hits('GET', '/cart').at(-1);
  assert.equal(cartRead?.headers['x-user-id'], sub, 'the cart read is the caller’s');
  const placed = gw.orders.hits('POST', '/orders').at(-1);
  assert.deepEqual(JSON.parse(placed?.body ?? ''), {
    items: [
      { productId: 3, quantity: 2 },
      { productId: 8, quantity: 1 },
    ],
    paymentToken: 'tok_decline',
  });
  assert.equal(placed?.headers['idempotency-key'], key);
  assert.equal(placed?.headers['x-user-id'], sub);
  assert.equal(placed?.headers['content-type'], 'application/json');
});

test('an order from an empty cart is 400 naming fromCart, and orders never hears of it', async () => {
  gw.cart.reply = cartWith([]);
  const before = gw.orders.hits('POST', '/orders').length;
  const response = await gw.call('/api/orders', {
    method: 'POST',
    token: await gw.identity.sign(),
    json: { fromCart: true },
  });
  assert.equal(response.status, 400);
  const problem = await problemOf(response);
  assert.equal(problem.errors?.[0]?.field, '/fromCart');
  assert.match(problem.detail, /cart is empty/);
  assert.equal(gw.orders.hits('POST', '/orders').length, before);
});

test('an order with explicit items is forwarded as given, without reading the cart', async () => {
  const cartReads = gw.cart.received.length;
  const response = await gw.call('/api/orders', {
    method: 'POST',
    token: await gw.identity.sign(),
    json: { items: [{ productId: 5, quantity: 3 }] },
  });
  assert.equal(response.status, 202);
  assert.deepEqual(JSON.parse(gw.orders.hits('POST', '/orders').at(-1)?.body ?? ''), {
    items: [{ productId: 5, quantity: 3 }],
  });
  assert.equal(gw.cart.received.length, cartReads);
});

test('a cart service that is down makes a fromCart order 503, not 500', async () => {
  gw.cart.reply = (_request, response) => {
    response.socket?.destroy();
  };
  const response = await gw.call('/api/orders', {
    method: 'POST',
    token: await gw.identity.sign(),
    json: { fromCart: true },
  });
  assert.equal(response.status, 503);
  await problemOf(response);
});

test('bad order bodies are 400 naming the field, checked at the gateway', async () => {
  const token = await gw.identity.sign();
  const before = gw.orders.hits('POST', '/orders').length;
  const cases: [unknown, string][] = [
    [{}, '/items'],
    [{ items: [] }, '/items'],
    [{ items: [{ productId: 1, quantity: 0 }] }, '/items/0/quantity'],
    [{ items: [{ productId: '1', quantity: 1 }] }, '/items/0/productId'],
    [{ fromCart: false }, '/fromCart'],
    [{ fromCart: true, paymentToken: 'visa; DROP TABLE' }, '/paymentToken'],
  ];
  for (const [body, field] of cases) {
    const response = await gw.call('/api/orders', { method: 'POST', token, json: body });
    assert.equal(response.status, 400, JSON.stringify(body));
    const problem = await problemOf(response);
    assert.equal(problem.errors?.[0]?.field, field, JSON.stringify(body));
  }
  assert.equal(gw.orders.hits('POST', '/orders').length, before);
});

test('an Idempotency-Key that is not printable ASCII is 400 naming the header', async () => {
  const response = await gw.call('/api/orders', {
    method: 'POST',
    token: await gw.identity.sign(),
    headers: { 'idempotency-key': 'x'.repeat(300) },
    json: { items: [{ productId: 1, quantity: 1 }] },
  });
  assert.equal(response.status, 400);
  assert.equal((await problemOf(response)).errors?.[0]?.field, '/idempotency-key');
});
