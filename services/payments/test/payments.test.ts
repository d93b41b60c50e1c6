import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Broker, createLogger, exchange, type RunningService, userHeaders } from '@confeitaria/platform';
import amqp, { type ChannelModel } from 'amqplib';
import { start } from '../src/app';
import { decideCharge } from '../src/domain/payment-provider';

const amqpUrl = 'amqp://confeitaria:confeitaria@127.0.0.1:15673';
// The service's defaults, so whichever payments consumer takes a message decides the same way.
const defaults = { seed: 'confeitaria', declineRate: 0.05, latencyMs: 50, jitterMs: 20 };

let payments: RunningService;
let url: string;
let publisher: Broker;
let observer: ChannelModel;
/** payment.* events seen on shop.events, by order id. */
const seen = new Map<string, { routingKey: string; payload: Record<string, unknown> }[]>();

before(async () => {
  payments = await start({ PORT: 0, LOG_LEVEL: 'silent' });
  url = `http://127.0.0.1:${payments.port}`;
  publisher = new Broker(amqpUrl, createLogger('payments-test', 'silent'));
  await publisher.start();
  // A temporary queue bound to payment.*: sees what payments announces, and vanishes with the test.
  observer = await amqp.connect(amqpUrl);
  const channel = await observer.createChannel();
  await channel.assertExchange(exchange, 'topic', { durable: true });
  const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
  await channel.bindQueue(queue, exchange, 'payment.*');
  await channel.consume(
    queue,
    (message) => {
      if (!message) return;
      const payload = JSON.parse(message.content.toString('utf8')) as Record<string, unknown>;
      const orderId = String(payload.orderId);
      seen.set(orderId, [...(seen.get(orderId) ?? []), { routingKey: message.fields.routingKey, payload }]);
    },
    { noAck: true },
  );
});

after(async () => {
  await observer.close();
  await publisher.stop();
  await payments.stop();
});

/** An order id the provider (with the default seed and rate) accepts. */
function acceptedOrderId(): string {
  for (;;) {
    const orderId = randomUUID();
    if (decideCharge(defaults, orderId, 'tok_visa').status === 'SUCCEEDED') return orderId;
  }
}

const stockReserved = (orderId: string, paymentToken = 'tok_visa', messageId = randomUUID()) =>
  publisher.publish('stock.reserved', { orderId, totalCents: 4_240, paymentToken }, messageId);

async function eventsFor(orderId: string, count = 1, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while ((seen.get(orderId)?.length ?? 0) < count && Date.now() < deadline) await sleep(50);
  return seen.get(orderId) ?? [];
}

interface PaymentItem {
  id: string;
  orderId: string;
  amountCents: number;
  status: string;
  reason: string | null;
  createdAt: string;
}

/** Any answer's body: a payment list, a problem or a readiness report (tests read what they expect). */
interface Body {
  items: PaymentItem[];
  errors: { field: string }[];
  checks: Record<string, string>;
}

/** As an operator's read arrives: vouched for as an admin (the route refuses anyone else). */
async function get(
  path: string,
  as: Record<string, string> = userHeaders({ id: randomUUID(), role: 'admin' }),
): Promise<{ status: number; type: string | null; body: Body }> {
  const response = await fetch(`${url}${path}`, { headers: as });
  return { status: response.status, type: response.headers.get('content-type'), body: (await response.json()) as Body };
}

describe('charging orders', () => {
  test('a stock.reserved event records a succeeded payment and announces payment.succeeded', async () => {
    const orderId = acceptedOrderId();
    await stockReserved(orderId);
    const events = await eventsFor(orderId);
    assert.equal(events.length, 1);
    const [event] = events;
    assert.equal(event?.routingKey, 'payment.succeeded');
    const { items } = (await get(`/payments?orderId=${orderId}`)).body;
    assert.equal(items.length, 1);
    assert.equal(items[0]?.status, 'SUCCEEDED');
    assert.equal(items[0]?.amountCents, 4_240);
    assert.equal(items[0]?.reason, null);
    assert.deepEqual(event?.payload, { orderId, paymentId: items[0]?.id, amountCents: 4_240 });
  });

  test('the tok_decline card records a declined payment and announces payment.declined', async () => {
    const orderId = acceptedOrderId();
    await stockReserved(orderId, 'tok_decline');
    const [event] = await eventsFor(orderId);
    assert.equal(event?.routingKey, 'payment.declined');
    const { items } = (await get(`/payments?orderId=${orderId}`)).body;
    assert.equal(items.length, 1);
    assert.equal(items[0]?.status, 'DECLINED');
    assert.equal(items[0]?.reason, 'card_declined');
    assert.deepEqual(event?.payload, { orderId, paymentId: items[0]?.id, reason: 'card_declined' });
  });

  test('a redelivered message and a second message for the same order charge once and announce once', async () => {
    const orderId = acceptedOrderId();
    const messageId = randomUUID();
    await Promise.all([
      stockReserved(orderId, 'tok_visa', messageId),
      stockReserved(orderId, 'tok_visa', messageId),
      stockReserved(orderId, 'tok_visa'),
    ]);
    await eventsFor(orderId);
    await sleep(1_500); // room for a second event, if the service were to send one
    assert.equal(seen.get(orderId)?.length, 1);
    assert.equal((await get(`/payments?orderId=${orderId}`)).body.items.length, 1);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    assert.match(metrics, /payments_total\{outcome="succeeded"\} \d/);
    assert.match(metrics, /payment_provider_duration_seconds_count \d/);
  });
});

describe('GET /payments', () => {
  test('only a caller vouched for as admin reads payments: none, a customer, a forged assertion → 401/403', async () => {
    const orderId = randomUUID();
    assert.equal((await get(`/payments?orderId=${orderId}`, {})).status, 401);
    assert.equal(
      (await get(`/payments?orderId=${orderId}`, { 'x-user-id': randomUUID(), 'x-user-role': 'admin' })).status,
      401,
    );
    const customer = userHeaders({ id: randomUUID(), role: 'customer' });
    assert.equal((await get(`/payments?orderId=${orderId}`, customer)).status, 403);
    const forged = { ...customer, 'x-user-role': 'admin' };
    assert.equal((await get(`/payments?orderId=${orderId}`, forged)).status, 401, 'a role changed after signing');
  });
  test('an order without payments answers an empty list', async () => {
    const answer = await get(`/payments?orderId=${randomUUID()}`);
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, { items: [] });
  });

  for (const [name, query] of [
    ['a missing orderId', ''],
    ['an orderId that is not a uuid', '?orderId=abc'],
    ['an orderId given twice', `?orderId=${randomUUID()}&orderId=${randomUUID()}`],
    ['SQL in the orderId', "?orderId=1'%20OR%20'1'='1"],
  ] as const) {
    test(`${name} is a 400 problem naming /orderId`, async () => {
      const answer = await get(`/payments${query}`);
      assert.equal(answer.status, 400);
      assert.equal(answer.type, 'application/problem+json');
      assert.equal(answer.body.errors[0]?.field, '/orderId');
    });
  }

  test('readiness reports Postgres only: a broker outage only delays the saga', async () => {
    const answer = await get('/readyz');
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body.checks, { postgres: 'ok' });
  });
});
