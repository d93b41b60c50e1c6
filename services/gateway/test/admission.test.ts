import './support/telemetry';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { registry } from '@confeitaria/platform';
import { type GatewayUnderTest, loginFrom, problemOf, startGatewayUnderTest } from './support/gateway-under-test';
import { json } from './support/stand-in-server';

const pollMs = 100;
let gw: GatewayUnderTest;
let load = { pending: 0, oldestPendingSeconds: 0, outboxBacklog: 0 };

before(async () => {
  gw = await startGatewayUnderTest({
    SAGA_POLL_MS: pollMs,
    SAGA_MAX_PENDING: 50,
    SAGA_MAX_PENDING_AGE_S: 30,
    SAGA_MAX_OUTBOX_BACKLOG: 100,
    SAGA_SHED_RETRY_AFTER_S: 2,
    // One login per 2 s, and 2 more a minute above it: the third in a row is refused.
    AUTH_RATE_LIMIT_RPS: 0.5,
    AUTH_RATE_LIMIT_BURST: 2,
  });
});
after(() => gw.stop());
beforeEach(() => {
  load = { pending: 0, oldestPendingSeconds: 0, outboxBacklog: 0 };
  gw.orders.reply = (request, response) => {
    if (request.url === '/saga/load') return json(response, 200, load);
    json(response, 202, { id: randomUUID(), status: 'PENDING' });
  };
});

async function shedCount(reason: string): Promise<number> {
  const metric = await registry.getSingleMetric('http_requests_shed_total')?.get();
  return metric?.values.find((value) => value.labels.reason === reason)?.value ?? 0;
}

const placeOrder = async () =>
  gw.call('/api/orders', {
    method: 'POST',
    token: await gw.identity.sign({ sub: randomUUID() }),
    json: { items: [{ productId: 1, quantity: 1 }] },
  });

/** Waits until the gateway has polled the saga's load at least twice since now. */
async function polled(): Promise<void> {
  const seen = gw.orders.hits('GET', '/saga/load').length;
  while (gw.orders.hits('GET', '/saga/load').length < seen + 2) await sleep(pollMs / 4);
}

for (const [what, behind] of [
  ['more orders in flight than SAGA_MAX_PENDING', { pending: 51 }],
  ['an order in flight older than SAGA_MAX_PENDING_AGE_S', { pending: 3, oldestPendingSeconds: 31 }],
  ['more events in the outbox than SAGA_MAX_OUTBOX_BACKLOG', { outboxBacklog: 101 }],
] as const) {
  test(`with ${what}, a new order is shed at once: 503, Retry-After, counted, and orders never sees it`, async () => {
    load = { ...load, ...behind };
    await polled();
    const shedBefore = await shedCount('saga_behind');
    const postsBefore = gw.orders.hits('POST', '/orders').length;
    const started = performance.now();
    const response = await placeOrder();
    assert.ok(performance.now() - started < 500, 'answered at once');
    assert.equal(response.status, 503);
    assert.equal(response.headers.get('retry-after'), '2');
    const problem = (await problemOf(response)) as { type?: string; detail: string; reason?: string };
    assert.match(problem.type ?? '', /overloaded$/);
    assert.equal(problem.reason, 'saga_behind');
    assert.match(problem.detail, /order pipeline is behind/);
    assert.equal(await shedCount('saga_behind'), shedBefore + 1);
    assert.equal(gw.orders.hits('POST', '/orders').length, postsBefore);

    load = { pending: 0, oldestPendingSeconds: 0, outboxBacklog: 0 };
    await polled();
    assert.equal((await placeOrder()).status, 202, 'accepted again once the saga caught up');
  });
}

test('orders accepted between two polls count against the limit before the next poll sees them', async () => {
  // Like the real orders service: every order accepted is in flight until the saga finishes it.
  const postsBefore = gw.orders.hits('POST', '/orders').length;
  gw.orders.reply = (request, response) => {
    const inFlight = 45 + gw.orders.hits('POST', '/orders').length - postsBefore;
    if (request.url === '/saga/load') return json(response, 200, { ...load, pending: inFlight });
    json(response, 202, { id: randomUUID(), status: 'PENDING' });
  };
  await polled();
  const statuses = await Promise.all(Array.from({ length: 20 }, () => placeOrder().then((r) => r.status)));
  const accepted = statuses.filter((status) => status === 202).length;
  // Room for 6 (45 → 51 is over), never more; a poll during the burst may count an order twice for a
  // moment and shed a little early.
  assert.ok(accepted >= 1 && accepted <= 6, `accepted ${accepted} of 20 (${statuses.join(',')})`);
  assert.ok(statuses.every((status) => status === 202 || status === 503));
});

test('orders placed while a poll is on the wire are not forgotten when its stale reading lands', async () => {
  // orders reads its load when a poll arrives; the answer is then held until the test lets it go.
  const postsBefore = gw.orders.hits('POST', '/orders').length;
  const holds: { arrived: () => void; released: Promise<void> }[] = [];
  const hold = () => {
    let arrived = () => {};
    let release = () => {};
    const seen = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    holds.push({ arrived, released: new Promise<void>((resolve) => (release = resolve)) });
    return { seen, release };
  };
  gw.orders.reply = async (request, response) => {
    const inFlight = 45 + gw.orders.hits('POST', '/orders').length - postsBefore;
    if (request.url !== '/saga/load') return json(response, 202, { id: randomUUID(), status: 'PENDING' });
    const held = holds.shift();
    held?.arrived();
    await held?.released;
    json(response, 200, { ...load, pending: inFlight });
  };
  await polled();
  const pollA = hold();
  await pollA.seen; // A read 45 in flight
  for (let i = 0; i < 3; i++) assert.equal((await placeOrder()).status, 202);
  const pollB = hold();
  pollA.release();
  await pollB.seen; // A's stale reading (45) has landed; B is held, so nothing newer lands meanwhile
  try {
    const statuses = await Promise.all(Array.from({ length: 6 }, () => placeOrder().then((r) => r.status)));
    const accepted = statuses.filter((status) => status === 202).length;
    assert.equal(accepted, 3, `room for 6 in all, 3 taken while A was out: ${statuses.join(',')}`);
  } finally {
    pollB.release();
  }
});

test('when the saga load cannot be read, orders are not shed by the gateway (orders decides)', async () => {
  gw.orders.reply = (request, response) => {
    if (request.url === '/saga/load') return json(response, 500, { title: 'broken' });
    json(response, 202, { id: randomUUID(), status: 'PENDING' });
  };
  await polled();
  await sleep(pollMs * 4); // the last good reading is now stale
  assert.equal((await placeOrder()).status, 202);
});

test('logins from one address beyond its burst get 429 with Retry-After; another address is not affected', async () => {
  const address = '127.0.0.21';
  const throttledBefore = await shedCount('login_throttled');
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++) statuses.push((await loginFrom(gw.url, address)).status);
  assert.notEqual(statuses[2], 429, 'within the rate and the burst');
  assert.equal(statuses[3], 429);
  const refused = await loginFrom(gw.url, address);
  assert.equal(refused.status, 429);
  const retryAfter = Number(refused.retryAfter);
  assert.ok(retryAfter >= 1 && retryAfter <= 2, `Retry-After ${retryAfter}`);
  assert.equal(await shedCount('login_throttled'), throttledBefore + 2);
  assert.notEqual((await loginFrom(gw.url, '127.0.0.22')).status, 429);
});
