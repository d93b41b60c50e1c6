import './support/telemetry';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, test } from 'node:test';
import { type GatewayUnderTest, problemOf, startGatewayUnderTest } from './support/gateway-under-test';

let gw: GatewayUnderTest;
before(async () => {
  gw = await startGatewayUnderTest();
});
after(() => gw.stop());

const upstreamCalls = () =>
  [gw.identity, ...gw.catalog, gw.cart, gw.orders].reduce((sum, standIn) => sum + standIn.received.length, 0);

test('an oversized body is a 413 problem', async () => {
  const response = await gw.call('/api/auth/register', {
    method: 'POST',
    json: { email: 'a@b.co', password: 'long enough', name: 'x'.repeat(100_000) },
  });
  assert.equal(response.status, 413);
  assert.equal((await problemOf(response)).status, 413);
});

test('broken, non-object and non-JSON bodies are 4xx problems that never reach an upstream', async () => {
  const before = upstreamCalls();
  const cases: [string, string, number][] = [
    ['{"email": ', 'application/json', 400],
    ['"hello"', 'application/json', 400],
    ['null', 'application/json', 400],
    ['[]', 'application/json', 400],
    ['email=a@b.co', 'application/x-www-form-urlencoded', 415],
    ['hello', 'text/plain', 415],
  ];
  for (const [body, type, status] of cases) {
    const response = await gw.call('/api/auth/login', { method: 'POST', body, headers: { 'content-type': type } });
    assert.equal(response.status, status, `${type} ${body}`);
    await problemOf(response);
  }
  assert.equal(upstreamCalls(), before);
});

/** GET with the path sent byte for byte (fetch would normalise `..` segments away before sending). */
function rawGet(url: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const call = request(`${url}${path}`, { path }, (response) => {
      let body = '';
      response.on('data', (chunk) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    call.on('error', reject);
    call.end();
  });
}

test('bad path parameters are 400 naming the field, and no crafted path reaches an upstream', async () => {
  const before = upstreamCalls();
  for (const path of [
    '/api/products/abc',
    '/api/products/..',
    '/api/products/%2E%2E',
    '/api/products/1%2F..%2Fcart',
    '/api/products/-1',
  ]) {
    const response = await rawGet(gw.url, path);
    assert.equal(response.status, 400, path);
    assert.equal(JSON.parse(response.body).errors?.[0]?.field, '/id', path);
  }
  const token = await gw.identity.sign();
  const response = await gw.call('/api/orders/not-a-uuid', { token });
  assert.equal(response.status, 400);
  assert.equal((await problemOf(response)).errors?.[0]?.field, '/id');
  assert.equal(upstreamCalls() - before, 1, 'only the key set was fetched');
});

test('bad paging is 400 naming the query field', async () => {
  const response = await gw.call('/api/products?page=0');
  assert.equal(response.status, 400);
  assert.equal((await problemOf(response)).errors?.[0]?.field, '/page');
});

test('a valid body is forwarded to the upstream as JSON', async () => {
  const response = await gw.call('/api/auth/register', {
    method: 'POST',
    json: { email: 'ana@example.com', password: 'correct horse', name: 'Ana' },
  });
  assert.equal(response.status, 200);
  const forwarded = gw.identity.hits('POST', '/auth/register').at(-1);
  assert.deepEqual(JSON.parse(forwarded?.body ?? ''), {
    email: 'ana@example.com',
    password: 'correct horse',
    name: 'Ana',
  });
  assert.equal(forwarded?.headers['content-type'], 'application/json');
});

test('an unknown route or method is a 404/405 problem', async () => {
  assert.equal((await gw.call('/api/nothing-here')).status, 404);
  const response = await gw.call('/api/categories', { method: 'DELETE' });
  assert.equal(response.status, 405);
  await problemOf(response);
});
