import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkAll } from '../src/audit/invariants';
import { type Snapshot, soldByProduct } from '../src/audit/snapshot';

const a = '00000000-0000-4000-8000-00000000000a';
const b = '00000000-0000-4000-8000-00000000000b';
const c = '00000000-0000-4000-8000-00000000000c';

/** A consistent world: a confirmed (2 × product 1), a cancelled for stock, c cancelled for payment. */
function healthy(): Snapshot {
  return {
    orders: [
      { id: a, status: 'CONFIRMED', reason: null, items: [{ productId: 1, quantity: 2 }] },
      { id: b, status: 'CANCELLED', reason: 'OUT_OF_STOCK', items: [{ productId: 1, quantity: 9 }] },
      { id: c, status: 'CANCELLED', reason: 'PAYMENT_DECLINED', items: [{ productId: 1, quantity: 1 }] },
    ],
    payments: [
      { order_id: a, status: 'SUCCEEDED' },
      { order_id: c, status: 'DECLINED' },
    ],
    products: [{ id: 1, stock: 8, movements: 10, reserved: 0, committed: 2 }],
    reservations: [
      { order_id: a, product_id: 1, quantity: 2, status: 'COMMITTED' },
      { order_id: c, product_id: 1, quantity: 1, status: 'RELEASED' },
    ],
    notifications: [
      { order_id: a, kind: 'ORDER_CONFIRMED' },
      { order_id: b, kind: 'ORDER_CANCELLED' },
      { order_id: c, kind: 'ORDER_CANCELLED' },
    ],
    unpublishedOutbox: { orders: 0, catalog: 0, payments: 0 },
    queues: [{ queue: 'orders.payment-succeeded.parked', messages: 0 }],
    soldByProduct: new Map(),
  };
}

/** Derived fields recomputed after a test edits the orders. */
const withSold = (snapshot: Snapshot): Snapshot => ({ ...snapshot, soldByProduct: soldByProduct(snapshot.orders) });

const failing = (snapshot: Snapshot, ledger?: string[]) =>
  checkAll(withSold(snapshot), ledger)
    .filter((result) => !result.ok)
    .map((result) => result.id);

test('a consistent snapshot passes every invariant', () => {
  assert.deepEqual(failing(healthy(), [a, b, c]), []);
});

test('an accepted order missing from the database is reported as lost (invariant 1)', () => {
  const lost = '00000000-0000-4000-8000-0000000000ff';
  const [first] = checkAll(withSold(healthy()), [a, lost]);
  assert.equal(first?.ok, false);
  assert.match(first?.violations.join() ?? '', new RegExp(lost));
});

test('a PENDING order fails invariant 1', () => {
  const snapshot = healthy();
  snapshot.orders.push({ id: '00000000-0000-4000-8000-0000000000dd', status: 'PENDING', reason: null, items: [] });
  assert.deepEqual(failing(snapshot), [1]);
});

test('a double charge, or a charge without confirmation, fails invariant 2', () => {
  const doubled = healthy();
  doubled.payments.push({ order_id: a, status: 'SUCCEEDED' });
  assert.deepEqual(failing(doubled), [2]);
  const charged = healthy();
  charged.payments.push({ order_id: b, status: 'SUCCEEDED' });
  assert.deepEqual(failing(charged), [2]);
});

test('stock that does not add up, or is oversold, fails invariant 3', () => {
  const unbalanced = healthy();
  (unbalanced.products[0] as { stock: number }).stock = 9;
  assert.deepEqual(failing(unbalanced), [3]);
  const oversold = healthy();
  oversold.orders[1] = { id: b, status: 'CONFIRMED', reason: null, items: [{ productId: 1, quantity: 9 }] };
  oversold.payments.push({ order_id: b, status: 'SUCCEEDED' });
  oversold.notifications[1] = { order_id: b, kind: 'ORDER_CONFIRMED' };
  assert.deepEqual(failing(oversold), [3]);
});

test('a missing or repeated notification fails invariant 4', () => {
  const missing = healthy();
  missing.notifications.pop();
  assert.deepEqual(failing(missing), [4]);
  const repeated = healthy();
  repeated.notifications.push({ order_id: a, kind: 'ORDER_CONFIRMED' });
  assert.deepEqual(failing(repeated), [4]);
});

test('an unpublished outbox row or a parked message fails invariant 5', () => {
  const unpublished = healthy();
  unpublished.unpublishedOutbox.orders = 3;
  assert.deepEqual(failing(unpublished), [5]);
  const parked = healthy();
  parked.queues = [{ queue: 'catalog.order-created.parked', messages: 2 }];
  assert.deepEqual(failing(parked), [5]);
});

test('with a ledger, orders outside it (e.g. synthetic test events) are out of scope', () => {
  const snapshot = healthy();
  snapshot.payments.push({ order_id: '00000000-0000-4000-8000-0000000000ee', status: 'SUCCEEDED' });
  assert.deepEqual(failing(snapshot), [2], 'without a ledger the stray charge is a violation');
  assert.deepEqual(failing(snapshot, [a, b, c]), [], "with a ledger it is not this run's order");
  assert.deepEqual(failing(snapshot, []), [], 'an empty ledger (a run that placed no order) judges no order');
});

test('messages parked before a run are reported, not counted against it; what the run parked is', () => {
  const snapshot = healthy();
  snapshot.queues.push({ queue: 'cart.order-confirmed.parked', messages: 2 });
  const [, , , , before] = checkAll(withSold(snapshot), undefined, { 'cart.order-confirmed.parked': 2 });
  assert.equal(before?.ok, true);
  assert.match(before?.checked ?? '', /2 messages parked before this run/);
  const [, , , , grown] = checkAll(withSold(snapshot), undefined, { 'cart.order-confirmed.parked': 1 });
  assert.deepEqual(grown?.violations, ['parked messages (1): cart.order-confirmed.parked=1']);
});
