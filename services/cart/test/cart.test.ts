import assert from 'node:assert/strict';
import { randomInt, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Broker, createLogger, type RunningService, userHeaders } from '@confeitaria/platform';
import { Redis } from 'ioredis';
import { start } from '../src/app';
import { CatalogStandIn, closedPortUrl } from './catalog-stand-in';

const redisUrl = 'redis://127.0.0.1:16379';
const ttlSeconds = 3_600;
const catalog = new CatalogStandIn();
// Product ids unique to this run, so nothing another run left behind can interfere.
const base = randomInt(1_000_000, 2_000_000_000);
const cake = { id: base, priceCents: 1_250, stock: 1_000 };
const pie = { id: base + 1, priceCents: 990, stock: 1_000 };
const scarce = { id: base + 2, priceCents: 500, stock: 3 };
const sick = base + 3;
const unknown = base + 4;

let cart: RunningService;
let url: string;
let redis: Redis;

before(async () => {
  for (const product of [cake, pie, scarce]) catalog.products.set(product.id, product);
  catalog.products.set(sick, { id: sick, priceCents: 1, stock: 1 });
  catalog.failing.add(sick);
  const live = await catalog.start();
  // The first instance is down: every other request starts there and must fail over.
  cart = await start({
    PORT: 0,
    LOG_LEVEL: 'silent',
    REDIS_URL: redisUrl,
    CART_TTL_SECONDS: ttlSeconds,
    CATALOG_URLS: [await closedPortUrl(), live],
    CATALOG_TIMEOUT_MS: 1_000,
  });
  url = `http://127.0.0.1:${cart.port}`;
  redis = new Redis(redisUrl);
});

after(async () => {
  await cart.stop();
  await catalog.stop();
  redis.disconnect();
});

/** Any answer's body: a cart or a problem (tests read the fields they expect). */
interface Body {
  items: { productId: number; quantity: number; unitPriceCents: number }[];
  totalCents: number;
  detail: string;
  errors: { field: string; message: string }[];
}

interface Answer {
  status: number;
  type: string | null;
  body: Body;
}

async function call(method: string, path: string, user: string | undefined, body?: unknown): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (user !== undefined) Object.assign(headers, userHeaders({ id: user, role: 'customer' }));
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, type: response.headers.get('content-type'), body: text ? JSON.parse(text) : null };
}

const add = (user: string, productId: number, quantity: number) =>
  call('POST', '/cart/items', user, { productId, quantity });

describe('cart contents', () => {
  test('a new user has an empty cart', async () => {
    const answer = await call('GET', '/cart', randomUUID());
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, { items: [], totalCents: 0 });
  });

  test('adding products builds a cart whose total is the sum of quantity × unit price', async () => {
    const user = randomUUID();
    assert.equal((await add(user, cake.id, 2)).status, 200);
    assert.equal((await add(user, pie.id, 1)).status, 200);
    const answer = await add(user, cake.id, 1);
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, {
      items: [
        { productId: cake.id, quantity: 3, unitPriceCents: 1_250 },
        { productId: pie.id, quantity: 1, unitPriceCents: 990 },
      ],
      totalCents: 3 * 1_250 + 990,
    });
    assert.deepEqual((await call('GET', '/cart', user)).body, answer.body);
  });

  test('a line keeps the price the catalog had when it was added', async () => {
    const user = randomUUID();
    const product = { id: base + 10, priceCents: 700, stock: 10 };
    catalog.products.set(product.id, product);
    await add(user, product.id, 1);
    catalog.products.set(product.id, { ...product, priceCents: 900 });
    const answer = await call('GET', '/cart', user);
    assert.deepEqual(answer.body.items, [{ productId: product.id, quantity: 1, unitPriceCents: 700 }]);
  });

  test('removing a line answers the remaining cart; removing an absent line changes nothing', async () => {
    const user = randomUUID();
    await add(user, cake.id, 1);
    await add(user, pie.id, 2);
    const removed = await call('DELETE', `/cart/items/${cake.id}`, user);
    assert.equal(removed.status, 200);
    assert.deepEqual(removed.body, {
      items: [{ productId: pie.id, quantity: 2, unitPriceCents: 990 }],
      totalCents: 1_980,
    });
    const again = await call('DELETE', `/cart/items/${cake.id}`, user);
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, removed.body);
  });

  test('clearing the cart answers 204 and leaves it empty', async () => {
    const user = randomUUID();
    await add(user, cake.id, 1);
    const cleared = await fetch(`${url}/cart`, {
      method: 'DELETE',
      headers: userHeaders({ id: user, role: 'customer' }),
    });
    assert.equal(cleared.status, 204);
    assert.deepEqual((await call('GET', '/cart', user)).body, { items: [], totalCents: 0 });
  });

  test('one user never sees another user’s cart', async () => {
    const alice = randomUUID();
    await add(alice, cake.id, 1);
    assert.deepEqual((await call('GET', '/cart', randomUUID())).body.items, []);
  });

  test('every write sets the cart key to expire CART_TTL_SECONDS later', async () => {
    const user = randomUUID();
    await add(user, cake.id, 1);
    const ttl = await redis.ttl(`cart:${user}`);
    assert.ok(ttl > ttlSeconds - 10 && ttl <= ttlSeconds, `ttl ${ttl}`);
    await redis.expire(`cart:${user}`, 60);
    await call('DELETE', `/cart/items/${pie.id}`, user);
    assert.ok((await redis.ttl(`cart:${user}`)) > ttlSeconds - 10, 'a removal refreshes the TTL too');
  });
});

describe('cart rules', () => {
  test('an unknown product is a 404 problem naming /productId', async () => {
    const answer = await add(randomUUID(), unknown, 1);
    assert.equal(answer.status, 404);
    assert.equal(answer.type, 'application/problem+json');
    assert.equal(answer.body.errors[0]?.field, '/productId');
  });

  test('more units than the product has in stock is a 409 problem, and the cart is unchanged', async () => {
    const user = randomUUID();
    assert.equal((await add(user, scarce.id, 2)).status, 200);
    const answer = await add(user, scarce.id, 2);
    assert.equal(answer.status, 409);
    assert.equal(answer.type, 'application/problem+json');
    assert.equal(answer.body.errors[0]?.field, '/quantity');
    assert.equal((await call('GET', '/cart', user)).body.items[0]?.quantity, 2);
  });

  test('a line beyond 100 units is a 400 problem naming /quantity', async () => {
    const user = randomUUID();
    assert.equal((await add(user, cake.id, 60)).status, 200);
    const answer = await add(user, cake.id, 41);
    assert.equal(answer.status, 400);
    assert.equal(answer.body.errors[0]?.field, '/quantity');
    assert.equal((await add(user, cake.id, 40)).body.items[0]?.quantity, 100);
  });

  test('concurrent adds to one line lose no units', async () => {
    const user = randomUUID();
    await Promise.all(Array.from({ length: 10 }, () => add(user, pie.id, 3)));
    assert.equal((await call('GET', '/cart', user)).body.items[0]?.quantity, 30);
  });
});

describe('bad requests', () => {
  const cases: { name: string; body: unknown; field: string }[] = [
    { name: 'productId as a string', body: { productId: '1', quantity: 1 }, field: '/productId' },
    { name: 'missing productId', body: { quantity: 1 }, field: '/productId' },
    { name: 'negative productId', body: { productId: -1, quantity: 1 }, field: '/productId' },
    { name: 'missing quantity', body: { productId: 1 }, field: '/quantity' },
    { name: 'quantity zero', body: { productId: 1, quantity: 0 }, field: '/quantity' },
    { name: 'fractional quantity', body: { productId: 1, quantity: 1.5 }, field: '/quantity' },
    { name: 'quantity over 100', body: { productId: 1, quantity: 101 }, field: '/quantity' },
  ];
  for (const { name, body, field } of cases) {
    test(`${name} is a 400 problem naming ${field}`, async () => {
      const answer = await call('POST', '/cart/items', randomUUID(), body);
      assert.equal(answer.status, 400);
      assert.equal(answer.type, 'application/problem+json');
      assert.equal(answer.body.errors[0]?.field, field);
    });
  }

  test('an unexpected field is a 400 problem that names it', async () => {
    const answer = await call('POST', '/cart/items', randomUUID(), { productId: 1, quantity: 1, price: 1 });
    assert.equal(answer.status, 400);
    assert.match(answer.body.detail, /price/);
  });

  test('broken JSON is a 400 problem and a non-JSON body a 415', async () => {
    assert.equal((await call('POST', '/cart/items', randomUUID(), '{"productId":')).status, 400);
    const form = await fetch(`${url}/cart/items`, {
      method: 'POST',
      headers: {
        ...userHeaders({ id: randomUUID(), role: 'customer' }),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'productId=1&quantity=1',
    });
    assert.equal(form.status, 415);
  });

  test('a product id in the path that is not a positive integer is a 400 problem naming /productId', async () => {
    for (const id of ['abc', '0', '-5', '1.5', '99999999999']) {
      const answer = await call('DELETE', `/cart/items/${id}`, randomUUID());
      assert.equal(answer.status, 400, id);
      assert.equal(answer.body.errors[0]?.field, '/productId');
    }
  });

  test('a request without a valid x-user-id is a 401 problem', async () => {
    for (const user of [undefined, '', 'not-a-uuid', `${randomUUID()}x`]) {
      const answer = await call('GET', '/cart', user);
      assert.equal(answer.status, 401, String(user));
      assert.equal(answer.type, 'application/problem+json');
    }
    assert.equal((await call('POST', '/cart/items', undefined, { productId: cake.id, quantity: 1 })).status, 401);
  });
});

describe('catalog failover', () => {
  test('a catalog instance that is down is skipped for the next one', async () => {
    const user = randomUUID();
    const hitsBefore = catalog.hits;
    // Requests rotate over the instances, so of two in a row one starts at the dead instance.
    for (let i = 0; i < 4; i++) assert.equal((await add(user, pie.id, 1)).status, 200);
    assert.equal(catalog.hits - hitsBefore, 4, 'the live instance answered every lookup');
  });

  test('when no catalog instance can answer, adding is a 503 problem', async () => {
    const answer = await add(randomUUID(), sick, 1);
    assert.equal(answer.status, 503);
    assert.equal(answer.type, 'application/problem+json');
  });
});

describe('order.confirmed', () => {
  test('an order.confirmed event takes what was bought out of the buyer’s cart, once, and keeps what was added since', async () => {
    const user = randomUUID();
    const bystander = randomUUID();
    await add(user, cake.id, 2);
    await add(user, pie.id, 1); // added after the order was placed: must survive its confirmation
    await add(bystander, cake.id, 1);
    const confirmed = {
      orderId: randomUUID(),
      userId: user,
      items: [{ productId: cake.id, quantity: 1, unitPriceCents: 1_250 }],
      totalCents: 1_250,
    };
    const broker = new Broker('amqp://confeitaria:confeitaria@127.0.0.1:15673', createLogger('cart-test', 'silent'));
    await broker.start();
    try {
      // The same event delivered twice (new message ids): the second must change nothing.
      await broker.publish('order.confirmed', confirmed, randomUUID());
      await broker.publish('order.confirmed', confirmed, randomUUID());
    } finally {
      await broker.stop();
    }
    const expected = [
      { productId: cake.id, quantity: 1 },
      { productId: pie.id, quantity: 1 },
    ];
    const lines = async () =>
      ((await call('GET', '/cart', user)).body.items as { productId: number; quantity: number }[]).map(
        ({ productId, quantity }) => ({ productId, quantity }),
      );
    const deadline = Date.now() + 10_000;
    while (JSON.stringify(await lines()) !== JSON.stringify(expected) && Date.now() < deadline) await sleep(100);
    await sleep(500); // time for the redelivered copy to (not) take another cake
    assert.deepEqual(await lines(), expected);
    assert.equal((await call('GET', '/cart', bystander)).body.items.length, 1, 'other carts are untouched');
  });
});

describe('health', () => {
  test('readiness reports Redis ok and metrics show the breaker closed', async () => {
    const ready = await fetch(`${url}/readyz`);
    assert.equal(ready.status, 200);
    assert.equal(((await ready.json()) as { checks: Record<string, string> }).checks.redis, 'ok');
    const metrics = await (await fetch(`${url}/metrics`)).text();
    assert.match(metrics, /circuit_breaker_state\{breaker="cart-redis"\} 0/);
  });
});
