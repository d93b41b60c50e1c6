import './support/telemetry';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { type GatewayUnderTest, problemOf, startGatewayUnderTest } from './support/gateway-under-test';
import { audience, issuer, unsignedToken } from './support/identity-stand-in';
import { deadUrl } from './support/stand-in-server';

let gw: GatewayUnderTest;
before(async () => {
  gw = await startGatewayUnderTest({ JWKS_COOLDOWN_MS: 0 });
});
after(() => gw.stop());

async function assertUnauthorized(response: Response, why: RegExp) {
  assert.equal(response.status, 401);
  assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer\b/);
  const problem = await problemOf(response);
  assert.match(problem.detail, why);
}

test('a valid token reaches the upstream as x-user-id / x-user-role, and client-sent x-user-* headers are dropped', async () => {
  const sub = randomUUID();
  const token = await gw.identity.sign({ sub, role: 'customer' });
  const response = await gw.call('/api/cart', {
    token,
    headers: { 'x-user-id': 'someone-else', 'x-user-role': 'admin', 'X-User-Extra': 'sneaky' },
  });
  assert.equal(response.status, 200);
  const [forwarded] = gw.cart.hits('GET', '/cart').slice(-1);
  assert.ok(forwarded);
  assert.equal(forwarded.headers['x-user-id'], sub);
  assert.equal(forwarded.headers['x-user-role'], 'customer');
  assert.equal(forwarded.headers['x-user-extra'], undefined);
  assert.equal(forwarded.headers.authorization, undefined, 'the token itself stays at the edge');
});

test('x-user-* headers a client sends on a public route never reach the upstream either', async () => {
  const response = await gw.call('/api/categories', { headers: { 'x-user-id': randomUUID(), 'x-user-role': 'admin' } });
  assert.equal(response.status, 200);
  const forwarded = [...gw.catalog[0].received, ...gw.catalog[1].received].at(-1);
  assert.equal(forwarded?.headers['x-user-id'], undefined);
  assert.equal(forwarded?.headers['x-user-role'], undefined);
});

test('a verified token is remembered only until it expires, never past it', async () => {
  const token = await gw.identity.sign({ expiresIn: Math.floor(Date.now() / 1000) + 1 });
  assert.equal((await gw.call('/api/cart', { token })).status, 200);
  assert.equal((await gw.call('/api/cart', { token })).status, 200, 'the second time from memory');
  // Past its expiry and jose's 5 s clock tolerance, the remembered verification is gone too.
  await new Promise((resolve) => setTimeout(resolve, 7_000));
  await assertUnauthorized(await gw.call('/api/cart', { token }), /expired/);
});

test('a user route without a token is 401 with a Bearer challenge', async () => {
  await assertUnauthorized(await gw.call('/api/orders'), /authentication required/);
});

test('a token signed with a key identity never published is 401', async () => {
  const token = await gw.identity.sign({ key: await gw.identity.strangerKey() });
  await assertUnauthorized(await gw.call('/api/cart', { token }), /not signed by a known key/);
});

test('a token whose signature was tampered with is 401', async () => {
  const [header, payload] = (await gw.identity.sign()).split('.');
  const other = (await gw.identity.sign()).split('.')[2];
  await assertUnauthorized(await gw.call('/api/cart', { token: `${header}.${payload}.${other}` }), /signature/);
});

test('an expired token is 401', async () => {
  const token = await gw.identity.sign({ expiresIn: Math.floor(Date.now() / 1000) - 60 });
  await assertUnauthorized(await gw.call('/api/cart', { token }), /expired/);
});

test('an unsigned token (alg none) is 401, even claiming admin', async () => {
  const token = unsignedToken({ sub: randomUUID(), role: 'admin', iss: issuer, aud: audience, exp: 9_999_999_999 });
  await assertUnauthorized(await gw.call('/api/products', { method: 'POST', token, json: {} }), /algorithm/);
});

test('a token for another audience is 401', async () => {
  const token = await gw.identity.sign({ audience: 'some-other-api' });
  await assertUnauthorized(await gw.call('/api/cart', { token }), /aud/);
});

test('a token from another issuer is 401', async () => {
  const token = await gw.identity.sign({ issuer: 'someone-else' });
  await assertUnauthorized(await gw.call('/api/cart', { token }), /iss/);
});

test('a malformed Authorization header or token is 401', async () => {
  const valid = await gw.identity.sign();
  for (const header of [
    'Basic dXNlcjpwYXNz',
    'Bearer',
    'Bearer ',
    `Token ${valid}`,
    'Bearer not.a.jwt',
    'Bearer ...',
  ]) {
    const response = await gw.call('/api/cart', { headers: { authorization: header } });
    assert.equal(response.status, 401, header);
    assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer\b/, header);
  }
});

test('a token with a role identity does not issue is 401', async () => {
  const token = await gw.identity.sign({ role: 'superuser' });
  await assertUnauthorized(await gw.call('/api/cart', { token }), /role/);
});

test('a customer on an admin route is 403, and the upstream is not called', async () => {
  const token = await gw.identity.sign({ role: 'customer' });
  const before = gw.catalog[0].received.length + gw.catalog[1].received.length;
  const response = await gw.call('/api/products', { method: 'POST', token, json: { name: 'x', priceCents: 1 } });
  assert.equal(response.status, 403);
  assert.equal((await problemOf(response)).status, 403);
  assert.equal(gw.catalog[0].received.length + gw.catalog[1].received.length, before);
});

test('an admin may set stock, and the catalog learns who did it', async () => {
  const sub = randomUUID();
  const token = await gw.identity.sign({ sub, role: 'admin' });
  const response = await gw.call('/api/products/7/stock', { method: 'PUT', token, json: { stock: 12 } });
  assert.equal(response.status, 200);
  const forwarded = [...gw.catalog[0].received, ...gw.catalog[1].received].find((r) => r.url === '/products/7/stock');
  assert.equal(forwarded?.method, 'PUT');
  assert.equal(forwarded?.headers['x-user-role'], 'admin');
  assert.equal(forwarded?.headers['x-user-id'], sub);
  assert.deepEqual(JSON.parse(forwarded?.body ?? ''), { stock: 12 });
});

test('a public route serves an anonymous caller, and ignores a token it cannot accept', async () => {
  assert.equal((await gw.call('/api/products/3')).status, 200);
  const expired = await gw.identity.sign({ expiresIn: Math.floor(Date.now() / 1000) - 60 });
  assert.equal((await gw.call('/api/products/3', { token: expired })).status, 200);
});

test('after identity rotates its key, tokens signed with the new key are accepted', async () => {
  assert.equal((await gw.call('/api/cart', { token: await gw.identity.sign() })).status, 200);
  await gw.identity.rotate();
  assert.equal((await gw.call('/api/cart', { token: await gw.identity.sign() })).status, 200);
});

test('when identity cannot be reached to fetch its keys, a user route is 503, never 500', async () => {
  const lonely = await startGatewayUnderTest({ IDENTITY_URL: await deadUrl() });
  try {
    const token = await gw.identity.sign();
    const response = await lonely.call('/api/cart', { token });
    assert.equal(response.status, 503);
    assert.match((await problemOf(response)).detail, /identity/);
    assert.equal(lonely.cart.received.length, 0);
  } finally {
    await lonely.stop();
  }
});

test('once the keys are known, an identity outage does not stop known tokens from being verified', async () => {
  const token = await gw.identity.sign();
  assert.equal((await gw.call('/api/cart', { token })).status, 200);
  const saved = gw.identity.reply;
  gw.identity.reply = (_request, response) => {
    response.socket?.destroy();
  };
  try {
    assert.equal((await gw.call('/api/cart', { token: await gw.identity.sign() })).status, 200);
    const stranger = await gw.identity.sign({ key: await gw.identity.strangerKey() });
    assert.equal((await gw.call('/api/cart', { token: stranger })).status, 503, 'an unknown key cannot be checked');
  } finally {
    gw.identity.reply = saved;
  }
});
