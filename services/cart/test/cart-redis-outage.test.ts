import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { type RunningService, userHeaders } from '@confeitaria/platform';
import { start } from '../src/app';
import { CatalogStandIn } from './catalog-stand-in';

// Redis on a port where nothing listens: the cart must fail fast, not hang.
const catalog = new CatalogStandIn();
let cart: RunningService;
let url: string;

before(async () => {
  catalog.products.set(7, { id: 7, priceCents: 100, stock: 10 });
  cart = await start({
    PORT: 0,
    LOG_LEVEL: 'silent',
    REDIS_URL: 'redis://127.0.0.1:1',
    CATALOG_URLS: [await catalog.start()],
  });
  url = `http://127.0.0.1:${cart.port}`;
});

after(async () => {
  await cart.stop();
  await catalog.stop();
});

async function timed(
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; type: string | null; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${url}${path}`, init);
  await response.text();
  return { status: response.status, type: response.headers.get('content-type'), ms: performance.now() - started };
}

test('when Redis is unreachable, reading the cart is a 503 problem in well under 2 s', async () => {
  const answer = await timed('/cart', { headers: userHeaders({ id: randomUUID(), role: 'customer' }) });
  assert.equal(answer.status, 503);
  assert.equal(answer.type, 'application/problem+json');
  assert.ok(answer.ms < 2_000, `took ${answer.ms} ms`);
});

test('when Redis is unreachable, adding to the cart is a 503 problem too', async () => {
  const answer = await timed('/cart/items', {
    method: 'POST',
    headers: { ...userHeaders({ id: randomUUID(), role: 'customer' }), 'content-type': 'application/json' },
    body: JSON.stringify({ productId: 7, quantity: 1 }),
  });
  assert.equal(answer.status, 503);
  assert.ok(answer.ms < 2_000, `took ${answer.ms} ms`);
});

test('repeated failures open the breaker, which the metrics report as 2', async () => {
  for (let i = 0; i < 6; i++) {
    const answer = await timed('/cart', { headers: userHeaders({ id: randomUUID(), role: 'customer' }) });
    assert.equal(answer.status, 503);
    assert.ok(answer.ms < 2_000, `took ${answer.ms} ms`);
  }
  const metrics = await (await fetch(`${url}/metrics`)).text();
  assert.match(metrics, /circuit_breaker_state\{breaker="cart-redis"\} 2/);
});

test('when Redis is unreachable, readiness is 503 naming redis', async () => {
  const response = await fetch(`${url}/readyz`);
  assert.equal(response.status, 503);
  assert.deepEqual(((await response.json()) as { failing: string[] }).failing, ['redis']);
});

test('liveness stays 200 while Redis is down', async () => {
  assert.equal((await fetch(`${url}/healthz`)).status, 200);
});
