import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseEvent } from '@confeitaria/platform';
import type pg from 'pg';
import { orderCreated, TestBroker } from './broker-harness';
import { createProduct, eventually, primaryPool, type RunningCatalog, startCatalog, stockOf } from './catalog-harness';

let catalog: RunningCatalog;
/** A second instance on the same database and queues, as in the real stack: they compete for messages. */
let sibling: RunningCatalog;
let broker: TestBroker;
let primary: pg.Pool;
before(async () => {
  [catalog, sibling] = await Promise.all([startCatalog(), startCatalog()]);
  broker = await TestBroker.open('stock.*');
  primary = primaryPool();
  await broker.waitForConsumers(['catalog.order-created', 'catalog.order-confirmed', 'catalog.order-cancelled']);
});
after(async () => {
  await broker.close();
  await Promise.all([catalog.service.stop(), sibling.service.stop()]);
  await primary.end();
});

/** Waits for the catalog's answer (stock.reserved or stock.rejected) to each order. */
async function answersTo(orderIds: string[]) {
  await eventually(
    async () => orderIds.filter((orderId) => broker.eventsFor(orderId).length > 0).length,
    (answered) => answered === orderIds.length,
    15_000,
  );
  return orderIds.map((orderId) => broker.eventsFor(orderId));
}

const reservationsOf = async (orderId: string) =>
  (
    await primary.query<{ product_id: number; quantity: number; status: string }>(
      'SELECT product_id, quantity, status FROM reservations WHERE order_id = $1 ORDER BY product_id',
      [orderId],
    )
  ).rows;

test('two orders for 2 of the last 3 units: one is reserved, one rejected, and a cancellation returns the units', async () => {
  const product = await createProduct(catalog.base, { stock: 3, priceCents: 1_500 });
  const orders = [1, 2].map(() => orderCreated([{ productId: product.id, quantity: 2, unitPriceCents: 1_500 }]));
  await Promise.all(orders.map((order) => broker.publish('order.created', order)));

  const answers = (await answersTo(orders.map((order) => order.orderId))).map((events) => {
    assert.equal(events.length, 1);
    return events[0] as (typeof events)[number];
  });
  const reserved = answers.filter((event) => event.routingKey === 'stock.reserved');
  const rejected = answers.filter((event) => event.routingKey === 'stock.rejected');
  assert.equal(reserved.length, 1);
  assert.equal(rejected.length, 1);
  const reservedEvent = parseEvent('stock.reserved', reserved[0]?.payload);
  const reservedOrder = orders.find((order) => order.orderId === reservedEvent.orderId);
  assert.deepEqual(reservedEvent, { orderId: reservedOrder?.orderId, totalCents: 3_000, paymentToken: 'tok_visa' });
  assert.deepEqual(parseEvent('stock.rejected', rejected[0]?.payload).productId, product.id);
  assert.equal(rejected[0]?.payload.reason, 'OUT_OF_STOCK');
  assert.equal(await stockOf(primary, product.id), 1);

  const cancelled = reservedOrder as (typeof orders)[number];
  await broker.publish('order.cancelled', {
    orderId: cancelled.orderId,
    userId: cancelled.userId,
    reason: 'PAYMENT_DECLINED',
    items: cancelled.items,
  });
  await eventually(
    () => stockOf(primary, product.id),
    (stock) => stock === 3,
  );
  assert.deepEqual(await reservationsOf(cancelled.orderId), [
    { product_id: product.id, quantity: 2, status: 'RELEASED' },
  ]);
});

test('the same order.created delivered twice reserves once', async () => {
  const product = await createProduct(catalog.base, { stock: 5 });
  const order = orderCreated([{ productId: product.id, quantity: 2 }]);
  const messageId = await broker.publish('order.created', order);
  await broker.publish('order.created', order, messageId);
  await answersTo([order.orderId]);
  // A redelivery after the first one was handled, too.
  await broker.publish('order.created', order, messageId);
  await sleep(1_500);
  assert.deepEqual(
    broker.eventsFor(order.orderId).map((event) => event.routingKey),
    ['stock.reserved'],
  );
  assert.equal(await stockOf(primary, product.id), 3);
  assert.equal((await reservationsOf(order.orderId)).length, 1);
});

test('a confirmed order commits its reservation, and a late cancellation of it returns nothing', async () => {
  const product = await createProduct(catalog.base, { stock: 4 });
  const order = orderCreated([{ productId: product.id, quantity: 3 }]);
  await broker.publish('order.created', order);
  await answersTo([order.orderId]);
  await broker.publish('order.confirmed', {
    orderId: order.orderId,
    userId: order.userId,
    items: order.items,
    totalCents: order.totalCents,
  });
  await eventually(
    () => reservationsOf(order.orderId),
    (rows) => rows[0]?.status === 'COMMITTED',
  );
  await broker.publish('order.cancelled', {
    orderId: order.orderId,
    userId: order.userId,
    reason: 'PAYMENT_DECLINED',
    items: order.items,
  });
  await sleep(1_000);
  assert.equal(await stockOf(primary, product.id), 1);
  assert.equal((await reservationsOf(order.orderId))[0]?.status, 'COMMITTED');
});

test('an order is all or nothing: one unknown product rejects it and leaves the other lines untouched', async () => {
  const product = await createProduct(catalog.base, { stock: 6 });
  const order = orderCreated([
    { productId: product.id, quantity: 2 },
    { productId: 2_147_483_647, quantity: 1 },
  ]);
  await broker.publish('order.created', order);
  const [events] = await answersTo([order.orderId]);
  assert.equal(events?.[0]?.routingKey, 'stock.rejected');
  assert.equal(events?.[0]?.payload.productId, 2_147_483_647);
  assert.equal(await stockOf(primary, product.id), 6);
  assert.deepEqual(await reservationsOf(order.orderId), []);
});

test('twenty concurrent orders for five units, across two instances: exactly five are reserved, and stock never goes negative', async () => {
  const product = await createProduct(catalog.base, { stock: 5 });
  const orders = Array.from({ length: 20 }, () => orderCreated([{ productId: product.id, quantity: 1 }]));
  await Promise.all(orders.map((order) => broker.publish('order.created', order)));
  const answers = await answersTo(orders.map((order) => order.orderId));
  const keys = answers.map((events) => events.map((event) => event.routingKey).join());
  assert.equal(keys.filter((key) => key === 'stock.reserved').length, 5);
  assert.equal(keys.filter((key) => key === 'stock.rejected').length, 15);
  assert.equal(await stockOf(primary, product.id), 0);
});
