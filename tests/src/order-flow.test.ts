import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gatewayUrl, notificationsUrl, postOrder } from './support/endpoints';
import { spansOfTrace } from './support/trace-file';
import { waitFor } from './support/wait';

const SpanKind = { SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 } as const;

test('an order posted at the gateway is accepted, stored and consumed by notifications', async () => {
  const { response, body } = await postOrder([{ productId: 7, quantity: 2 }]);
  assert.equal(response.status, 202);
  assert.equal(body.status, 'PENDING');
  assert.equal(response.headers.get('location'), `/api/orders/${body.id}`);
  assert.match(response.headers.get('traceparent') ?? '', /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);

  const read = await fetch(`${gatewayUrl}/api/orders/${body.id}`);
  assert.equal(read.status, 200);
  assert.deepEqual(((await read.json()) as { items: unknown }).items, [{ productId: 7, quantity: 2 }]);

  const notifications = await waitFor('the notification', async () => {
    const answer = await fetch(`${notificationsUrl}/notifications?orderId=${body.id}`);
    const { items } = (await answer.json()) as { items: { kind: string }[] };
    return items.length ? items : undefined;
  });
  assert.deepEqual(
    notifications.map((n) => n.kind),
    ['ORDER_RECEIVED'],
  );
});

test('one trace holds the gateway, orders and notifications spans, linked through the RabbitMQ hop', async () => {
  const { response, body } = await postOrder();
  const traceId = (response.headers.get('traceparent') ?? '').split('-')[1] ?? '';
  assert.equal(traceId.length, 32);

  const spans = await waitFor('the whole trace in the trace file', async () => {
    const found = await spansOfTrace(traceId);
    const consumer = found.find((span) => span.service === 'notifications' && span.kind === SpanKind.CONSUMER);
    const insert = found.find((span) => span.service === 'notifications' && String(span.name).includes('INSERT'));
    return consumer && insert ? found : undefined;
  });

  const services = new Set(spans.map((span) => span.service));
  for (const service of ['gateway', 'orders', 'notifications']) assert.ok(services.has(service), `${service} spans`);

  const byId = new Map(spans.map((span) => [span.spanId, span]));
  const producer = spans.find((span) => span.kind === SpanKind.PRODUCER && span.service === 'orders');
  assert.ok(producer, 'orders published the event (producer span)');
  const consumer = spans.find((span) => span.kind === SpanKind.CONSUMER && span.service === 'notifications');
  assert.ok(consumer, 'notifications consumed it (consumer span)');
  assert.equal(consumer.parentSpanId, producer.spanId, 'the consumer span is the child of the publish span');

  // Walk up from the notification's INSERT to the gateway's server span: one unbroken chain.
  let span = spans.find((candidate) => candidate.service === 'notifications' && candidate.name.includes('INSERT'));
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
});
