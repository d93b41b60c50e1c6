import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { type FlatSpan, spansOfTrace } from '@confeitaria/chaos/traces/trace-file';
import { notificationsUrl } from './support/endpoints';
import { vouchedFor } from './support/internal';
import { newCustomer, newProduct, placeOrder, settled } from './support/shop';
import { waitFor } from './support/wait';

const SpanKind = { SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 } as const;

/** The span of the INSERT that stores the order's notification (the last hop of the saga). */
const isNotificationInsert = (span: FlatSpan) =>
  span.service === 'notifications' &&
  String(span.attributes['db.query.text'] ?? span.attributes['db.statement'] ?? '').includes(
    'INSERT INTO notifications',
  );

test('an order posted at the gateway is accepted, confirmed through the saga and notified', async () => {
  const [user, product] = await Promise.all([newCustomer(), newProduct(10, 1_100)]);
  const { status, body, headers } = await placeOrder(user, { items: [{ productId: product.id, quantity: 2 }] });
  assert.equal(status, 202);
  assert.equal(body.status, 'PENDING');
  assert.equal(headers.get('location'), `/api/orders/${body.id}`);
  assert.match(headers.get('traceparent') ?? '', /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  const final = await settled(user, body.id);
  assert.equal(final.status, 'CONFIRMED');
  assert.deepEqual(final.items, [{ productId: product.id, quantity: 2, unitPriceCents: 1_100 }]);

  const notifications = await waitFor('the notification', async () => {
    const answer = await fetch(`${notificationsUrl}/notifications?orderId=${body.id}`, {
      headers: vouchedFor({ id: randomUUID(), role: 'admin' }),
    });
    const { items } = (await answer.json()) as { items: { kind: string }[] };
    return items.length ? items : undefined;
  });
  assert.deepEqual(
    notifications.map((n) => n.kind),
    ['ORDER_CONFIRMED'],
  );
});

test('one trace holds every service of the saga, linked through the RabbitMQ hops', async () => {
  const [user, product] = await Promise.all([newCustomer(), newProduct(10)]);
  const { body, headers } = await placeOrder(user, { items: [{ productId: product.id, quantity: 1 }] });
  const traceId = (headers.get('traceparent') ?? '').split('-')[1] ?? '';
  assert.equal(traceId.length, 32);

  await settled(user, body.id);
  const spans = await waitFor('the whole trace in the trace file', async () => {
    const found = await spansOfTrace(traceId);
    const consumer = found.find((span) => span.service === 'notifications' && span.kind === SpanKind.CONSUMER);
    const insert = found.find(isNotificationInsert);
    // Complete: the notification is stored and every span's parent has arrived (no orphans).
    const ids = new Set(found.map((span) => span.spanId));
    const orphans = found.filter((span) => span.parentSpanId && !ids.has(span.parentSpanId));
    return consumer && insert && orphans.length === 0 ? found : undefined;
  });

  const services = new Set(spans.map((span) => span.service));
  for (const service of ['gateway', 'orders', 'catalog', 'payments', 'notifications']) {
    assert.ok(services.has(service), `${service} spans in the trace (found: ${[...services].join(', ')})`);
  }

  const byId = new Map(spans.map((span) => [span.spanId, span]));
  // Every hop of the saga through RabbitMQ: who published, who consumed.
  const hops = (kind: number) => new Set(spans.filter((span) => span.kind === kind).map((span) => span.service));
  assert.deepEqual([...hops(SpanKind.PRODUCER)].sort(), ['catalog', 'orders', 'payments'], 'publishers');
  for (const consumer of ['catalog', 'payments', 'orders', 'notifications', 'cart']) {
    assert.ok(hops(SpanKind.CONSUMER).has(consumer), `${consumer} consumed an event of this order`);
  }
  const consumer = spans.find((span) => span.kind === SpanKind.CONSUMER && span.service === 'notifications');
  assert.ok(consumer, 'notifications consumed the outcome (consumer span)');
  const producer = byId.get(consumer.parentSpanId);
  assert.equal(producer?.kind, SpanKind.PRODUCER, 'the consumer span is the child of a publish span');
  assert.equal(producer?.service, 'orders', 'orders published the outcome');

  // Walk up from the notification's INSERT to the gateway's server span: one unbroken chain.
  let span = spans.find(isNotificationInsert);
  assert.ok(span, 'the notification INSERT span');
  const chain: string[] = [];
  while (span) {
    chain.push(`${span.service}:${span.name}`);
    span = byId.get(span.parentSpanId);
  }
  const root = chain.at(-1) ?? '';
  assert.match(root, /^gateway:/, `the chain ends at the gateway: ${chain.join(' ← ')}`);
  assert.ok(
    spans.some((candidate) => candidate.attributes['order.id'] === body.id),
    'spans carry order.id',
  );
  // Server spans are named after their route template, and carry it as http.route.
  const accepted = spans.find((candidate) => candidate.service === 'gateway' && candidate.kind === SpanKind.SERVER);
  assert.equal(accepted?.name, 'POST /api/orders');
  assert.equal(accepted?.attributes['http.route'], '/api/orders');
  const ordersServer = spans.find((candidate) => candidate.service === 'orders' && candidate.kind === SpanKind.SERVER);
  assert.equal(ordersServer?.attributes['http.route'], '/orders');
});
