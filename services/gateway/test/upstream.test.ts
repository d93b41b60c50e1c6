import './support/telemetry';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { registry } from '@confeitaria/platform';
import { type GatewayUnderTest, problemOf, startGatewayUnderTest } from './support/gateway-under-test';
import { deadUrl, json, type Reply } from './support/stand-in-server';

let gw: GatewayUnderTest;
before(async () => {
  gw = await startGatewayUnderTest({ CART_TIMEOUT_MS: 300, ORDERS_TIMEOUT_MS: 300 });
});
after(() => gw.stop());

async function retriesOf(upstream: string): Promise<number> {
  const metric = await registry.getSingleMetric('upstream_retries_total')?.get();
  return metric?.values.find((value) => value.labels.upstream === upstream)?.value ?? 0;
}

const product = (id: number) => ({
  id,
  name: 'Brigadeiro',
  description: '',
  priceCents: 350,
  currency: 'BRL',
  category: 'doces',
  stock: 5,
});

test('GETs are spread round-robin over both catalog instances', async () => {
  const before = gw.catalog.map((instance) => instance.received.length);
  for (let i = 0; i < 4; i++) assert.equal((await gw.call('/api/products/1')).status, 200);
  assert.deepEqual(
    gw.catalog.map((instance, i) => instance.received.length - (before[i] ?? 0)),
    [2, 2],
  );
});

test('a GET that meets a dead catalog instance is retried on the other, and the dead one is then skipped', async () => {
  const live = gw.catalog[1];
  const saved = live.reply;
  live.reply = (_request, response) => json(response, 200, product(9));
  const lonely = await startGatewayUnderTest({ CATALOG_URLS: [await deadUrl(), live.url] });
  try {
    const retriesBefore = await retriesOf('catalog');
    const hitsBefore = live.received.length;
    for (let i = 0; i < 6; i++) {
      const response = await lonely.call('/api/products/9');
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), product(9));
    }
    assert.equal(live.received.length - hitsBefore, 6);
    assert.equal(await retriesOf('catalog'), retriesBefore + 1, 'one retry: afterwards the dead instance is skipped');
  } finally {
    live.reply = saved;
    await lonely.stop();
  }
});

test('a GET answered 503 is retried, and the last answer relayed when retries run out', async () => {
  const answers: Reply = (_request, response) => json(response, 503, { title: 'Service Unavailable' });
  gw.cart.reply = answers;
  try {
    const token = await gw.identity.sign({ sub: randomUUID() });
    const hitsBefore = gw.cart.hits('GET', '/cart').length;
    const response = await gw.call('/api/cart', { token });
    assert.equal(response.status, 503);
    assert.equal(gw.cart.hits('GET', '/cart').length - hitsBefore, 3, 'one attempt and two retries');
  } finally {
    gw.cart.reply = (_request, response) => json(response, 200, { items: [], totalCents: 0 });
  }
});

test('a POST is never retried, whatever the upstream answers', async () => {
  const token = await gw.identity.sign({ sub: randomUUID() });
  gw.cart.reply = (_request, response) => json(response, 503, { title: 'Service Unavailable' });
  try {
    const before = gw.cart.hits('POST', '/cart/items').length;
    const response = await gw.call('/api/cart/items', { method: 'POST', token, json: { productId: 1, quantity: 2 } });
    assert.equal(response.status, 503);
    assert.equal(gw.cart.hits('POST', '/cart/items').length - before, 1);
  } finally {
    gw.cart.reply = (_request, response) => json(response, 200, { items: [], totalCents: 0 });
  }
});

test('with one catalog instance dead, admin writes all land on the other: PUT is idempotent, a refused POST never reached a server', async () => {
  const live = gw.catalog[1];
  const saved = live.reply;
  live.reply = (request, response) => json(response, request.method === 'POST' ? 201 : 200, product(7));
  const lonely = await startGatewayUnderTest({ CATALOG_URLS: [await deadUrl(), live.url], UPSTREAM_EJECT_MS: 1 });
  try {
    const token = await lonely.identity.sign({ role: 'admin' });
    const puts = live.hits('PUT', '/products/7/stock').length;
    const posts = live.hits('POST', '/products').length;
    for (let i = 0; i < 10; i++) {
      const put = await lonely.call('/api/products/7/stock', { method: 'PUT', token, json: { stock: i } });
      assert.equal(put.status, 200, `PUT ${i}`);
      const post = await lonely.call('/api/products', {
        method: 'POST',
        token,
        json: { name: 'Bolo', description: '', priceCents: 100, category: 'doces', stock: 1 },
      });
      assert.equal(post.status, 201, `POST ${i}`);
    }
    assert.equal(live.hits('PUT', '/products/7/stock').length - puts, 10, 'each PUT reached the live instance once');
    assert.equal(live.hits('POST', '/products').length - posts, 10, 'each POST was created exactly once');
  } finally {
    live.reply = saved;
    await lonely.stop();
  }
});

test('a POST to a dead upstream is tried once and answered 503 problem', async () => {
  const lonely = await startGatewayUnderTest({ ORDERS_URL: await deadUrl() });
  try {
    const token = await lonely.identity.sign();
    const response = await lonely.call('/api/orders', {
      method: 'POST',
      token,
      json: { items: [{ productId: 1, quantity: 1 }] },
    });
    assert.equal(response.status, 503);
    assert.match((await problemOf(response)).detail, /orders is unavailable/);
  } finally {
    await lonely.stop();
  }
});

test('an upstream that does not answer in time is a 504 problem', async () => {
  gw.orders.reply = async (_request, response) => {
    await sleep(1_000);
    json(response, 200, { items: [] });
  };
  try {
    const token = await gw.identity.sign();
    const started = performance.now();
    const response = await gw.call('/api/orders', { token });
    assert.equal(response.status, 504);
    assert.match((await problemOf(response)).detail, /orders did not answer within 300 ms/);
    assert.ok(performance.now() - started < 900, 'a timeout on the only instance is not repeated');
  } finally {
    gw.orders.reply = (_request, response) => json(response, 200, { items: [] });
  }
});

test('an upstream Location is rewritten to the public path', async () => {
  const id = randomUUID();
  gw.orders.reply = (_request, response) =>
    json(response, 202, { id, status: 'PENDING' }, { location: `/orders/${id}` });
  const token = await gw.identity.sign();
  const response = await gw.call('/api/orders', {
    method: 'POST',
    token,
    json: { items: [{ productId: 1, quantity: 1 }] },
  });
  assert.equal(response.status, 202);
  assert.equal(response.headers.get('location'), `/api/orders/${id}`);
});

test('every response carries a traceparent, and the trace continues into the upstream', async () => {
  const response = await gw.call('/api/categories');
  const traceparent = response.headers.get('traceparent') ?? '';
  assert.match(traceparent, /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  const forwarded = [...gw.catalog[0].received, ...gw.catalog[1].received].find(
    (request) => request.url === '/categories',
  );
  assert.equal(String(forwarded?.headers.traceparent).split('-')[1], traceparent.split('-')[1]);

  const refused = await gw.call('/api/cart');
  assert.equal(refused.status, 401);
  assert.match(refused.headers.get('traceparent') ?? '', /^00-[0-9a-f]{32}-/);
});

test('the query string reaches the catalog as sent', async () => {
  const response = await gw.call('/api/products?category=doces&page=2&pageSize=5');
  assert.equal(response.status, 200);
  assert.equal(((await response.json()) as { url: string }).url, '/products?category=doces&page=2&pageSize=5');
});
