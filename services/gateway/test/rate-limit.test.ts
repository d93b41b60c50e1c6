import './support/telemetry';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { registry } from '@confeitaria/platform';
import { type GatewayUnderTest, problemOf, startGatewayUnderTest } from './support/gateway-under-test';

let gw: GatewayUnderTest;
before(async () => {
  gw = await startGatewayUnderTest({ RATE_LIMIT_RPS: 0.5, RATE_LIMIT_BURST: 3 });
});
after(() => gw.stop());

async function rateLimitedCount(): Promise<number> {
  const metric = await registry.getSingleMetric('http_requests_shed_total')?.get();
  return metric?.values.find((value) => value.labels.reason === 'rate_limited')?.value ?? 0;
}

test('a client over its burst gets 429 with Retry-After, until tokens refill', async () => {
  const token = await gw.identity.sign({ sub: randomUUID() });
  const limitedBefore = await rateLimitedCount();
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++) statuses.push((await gw.call('/api/cart', { token })).status);
  assert.deepEqual(statuses, [200, 200, 200, 429]);

  const refused = await gw.call('/api/cart', { token });
  assert.equal(refused.status, 429);
  const retryAfter = Number(refused.headers.get('retry-after'));
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 2, `Retry-After ${retryAfter}`);
  assert.equal((await problemOf(refused)).status, 429);
  assert.equal(await rateLimitedCount(), limitedBefore + 2);
  assert.equal(gw.cart.received.length, 3, 'refused requests never reach the upstream');
});

test('each user has a budget of their own', async () => {
  const greedy = await gw.identity.sign({ sub: randomUUID() });
  for (let i = 0; i < 4; i++) await gw.call('/api/cart', { token: greedy });
  assert.equal((await gw.call('/api/cart', { token: greedy })).status, 429);
  const patient = await gw.identity.sign({ sub: randomUUID() });
  assert.equal((await gw.call('/api/cart', { token: patient })).status, 200);
});

test('anonymous clients are limited by address', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 5; i++) statuses.push((await gw.call('/api/categories')).status);
  assert.deepEqual(statuses.slice(0, 3), [200, 200, 200]);
  assert.equal(statuses.at(-1), 429);
});

test('a made-up X-Forwarded-For does not buy a fresh budget', async () => {
  for (let i = 0; i < 4; i++) await gw.call('/api/categories');
  const response = await gw.call('/api/categories', {
    headers: { 'x-forwarded-for': `10.0.0.${Math.floor(Math.random() * 250)}` },
  });
  assert.equal(response.status, 429);
});

test('health, readiness and metrics are never rate limited', async () => {
  for (let i = 0; i < 6; i++) {
    assert.equal((await gw.call('/healthz')).status, 200);
    assert.equal((await gw.call('/metrics')).status, 200);
    assert.notEqual((await gw.call('/readyz')).status, 429);
  }
});

test('with a management port, probes and metrics answer there only, and the public port serves the API only', async () => {
  const split = await startGatewayUnderTest({ MANAGEMENT_PORT: 0 });
  try {
    const management = `http://127.0.0.1:${split.gateway.managementPort}`;
    assert.notEqual(split.gateway.managementPort, split.gateway.port);
    for (const path of ['/healthz', '/readyz', '/metrics', '/metrics/', '/healthz/']) {
      assert.equal((await fetch(`${management}${path}`)).status, 200, `${path} on the management port`);
      const refused = await split.call(path);
      assert.equal(refused.status, 404, `${path} on the public port`);
      assert.equal((await problemOf(refused)).status, 404);
    }
    assert.equal((await fetch(`${management}/api/categories`)).status, 404, 'the API is not on the management port');
    assert.equal((await split.call('/api/categories')).status, 200);
  } finally {
    await split.stop();
  }
});
