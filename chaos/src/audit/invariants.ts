/**
 * The invariants of DESIGN.md §4 as pure functions of a snapshot (and the client's ledger), so they
 * can be unit-tested on hand-made data and run unchanged against the live databases.
 */
import { type InvariantResult, offenders } from './invariant';
import type { Snapshot } from './snapshot';

const count = (n: number, what: string) => `${n.toLocaleString('en')} ${what}`;

/** 1. Every accepted order exists and is terminal. */
export function ordersTerminal(snapshot: Snapshot, ledger: string[]): InvariantResult {
  const known = new Set(snapshot.orders.map((order) => order.id));
  const lost = ledger.filter((id) => !known.has(id));
  const pending = snapshot.orders.filter((order) => order.status === 'PENDING').map((order) => order.id);
  return {
    id: 1,
    name: 'every accepted order exists and is CONFIRMED or CANCELLED',
    ok: lost.length === 0 && pending.length === 0,
    checked: `${count(snapshot.orders.length, 'orders')}, ${count(ledger.length, 'ids in the client ledger')}`,
    violations: [...offenders('accepted but missing', lost), ...offenders('still PENDING', pending)],
  };
}

/** 2. At most one successful charge per order; a successful charge exists iff the order is CONFIRMED. */
export function chargesMatchOrders(snapshot: Snapshot): InvariantResult {
  const charges = new Map<string, number>();
  for (const payment of snapshot.payments) {
    if (payment.status === 'SUCCEEDED') charges.set(payment.order_id, (charges.get(payment.order_id) ?? 0) + 1);
  }
  const doubled = [...charges].filter(([, n]) => n > 1).map(([id]) => id);
  const confirmed = snapshot.orders.filter((order) => order.status === 'CONFIRMED');
  const unpaid = confirmed.filter((order) => !charges.has(order.id)).map((order) => order.id);
  const confirmedIds = new Set(confirmed.map((order) => order.id));
  const chargedNotConfirmed = [...charges.keys()].filter((id) => !confirmedIds.has(id));
  return {
    id: 2,
    name: 'at most one successful charge per order, and one iff the order is CONFIRMED',
    ok: doubled.length + unpaid.length + chargedNotConfirmed.length === 0,
    checked: `${count(snapshot.payments.length, 'payments')}, ${count(confirmed.length, 'confirmed orders')}`,
    violations: [
      ...offenders('charged more than once', doubled),
      ...offenders('CONFIRMED without a charge', unpaid),
      ...offenders('charged but not CONFIRMED', chargedNotConfirmed),
    ],
  };
}

/** 3. Stock is conserved per product, never negative, and never more sold than stocked. */
export function stockConserved(snapshot: Snapshot): InvariantResult {
  const unbalanced = snapshot.products
    .filter((p) => p.movements - p.committed - p.reserved !== p.stock)
    .map((p) => `#${p.id} (stocked ${p.movements} − sold ${p.committed} − reserved ${p.reserved} ≠ ${p.stock})`);
  const negative = snapshot.products.filter((p) => p.stock < 0).map((p) => `#${p.id}`);
  // What confirmed orders bought (all of them) must equal what the catalog committed, product by product.
  const sold = snapshot.soldByProduct;
  const mismatch = snapshot.products
    .filter((p) => (sold.get(p.id) ?? 0) !== p.committed)
    .map((p) => `#${p.id} (orders ${sold.get(p.id) ?? 0}, catalog ${p.committed})`);
  const status = new Map(snapshot.orders.map((order) => [order.id, order.status]));
  const openForTerminal = snapshot.reservations
    .filter((r) => r.status === 'RESERVED' && status.get(r.order_id) !== 'PENDING')
    .map((r) => `${r.order_id}/#${r.product_id}`);
  return {
    id: 3,
    name: 'stock conserved per product (stocked − sold − reserved = stock), never negative, never oversold',
    ok: unbalanced.length + negative.length + mismatch.length + openForTerminal.length === 0,
    checked: `${count(snapshot.products.length, 'products')}, ${count(snapshot.reservations.length, 'reservations')}`,
    violations: [
      ...offenders('unbalanced', unbalanced),
      ...offenders('negative stock', negative),
      ...offenders('confirmed quantities differ from committed reservations', mismatch),
      ...offenders('reservation still open for a finished order', openForTerminal),
    ],
  };
}

/** 4. Exactly one notification per terminal order, of the right kind. */
export function oneNotificationPerOrder(snapshot: Snapshot): InvariantResult {
  const byOrder = new Map<string, string[]>();
  for (const n of snapshot.notifications) byOrder.set(n.order_id, [...(byOrder.get(n.order_id) ?? []), n.kind]);
  const terminal = snapshot.orders.filter((order) => order.status !== 'PENDING');
  const missing = terminal.filter((order) => !byOrder.has(order.id)).map((order) => order.id);
  const duplicated = [...byOrder].filter(([, kinds]) => kinds.length > 1).map(([id]) => id);
  const wrongKind = terminal
    .filter((order) => byOrder.has(order.id) && byOrder.get(order.id)?.[0] !== `ORDER_${order.status}`)
    .map((order) => order.id);
  const known = new Set(snapshot.orders.map((order) => order.id));
  const orphan = [...byOrder.keys()].filter((id) => !known.has(id));
  return {
    id: 4,
    name: 'exactly one notification per terminal order',
    ok: missing.length + duplicated.length + wrongKind.length + orphan.length === 0,
    checked: `${count(snapshot.notifications.length, 'notifications')}, ${count(terminal.length, 'terminal orders')}`,
    violations: [
      ...offenders('terminal without a notification', missing),
      ...offenders('notified more than once', duplicated),
      ...offenders('notification of the wrong kind', wrongKind),
      ...offenders('notification for an unknown order', orphan),
    ],
  };
}

/** Messages in each parking queue, to judge a run by what it parked (see messagingDrained). */
export const parkedCounts = (snapshot: Snapshot): Record<string, number> =>
  Object.fromEntries(snapshot.queues.filter((q) => q.queue.endsWith('.parked')).map((q) => [q.queue, q.messages]));

/**
 * 5. Outboxes fully published; nothing parked (every parked message reported). Given the parking
 * queues' depths before a run, only what the run parked counts; what was there before is reported.
 */
export function messagingDrained(snapshot: Snapshot, parkedBefore: Record<string, number> = {}): InvariantResult {
  const unpublished = Object.entries(snapshot.unpublishedOutbox)
    .filter(([, n]) => n > 0)
    .map(([db, n]) => `${db}: ${n}`);
  const parkedNow = parkedCounts(snapshot);
  const parked = Object.entries(parkedNow)
    .map(([queue, messages]) => ({ queue, messages: messages - (parkedBefore[queue] ?? 0) }))
    .filter((q) => q.messages > 0);
  const earlier = Object.values(parkedBefore).reduce((sum, n) => sum + n, 0);
  return {
    id: 5,
    name: 'outbox fully published, parking queues empty',
    ok: unpublished.length === 0 && parked.length === 0,
    checked: `${Object.keys(snapshot.unpublishedOutbox).length} outboxes, ${snapshot.queues.length} queues${earlier ? ` (${earlier} messages parked before this run, not counted)` : ''}`,
    violations: [
      ...offenders('unpublished outbox rows', unpublished),
      ...offenders(
        'parked messages',
        parked.map((q) => `${q.queue}=${q.messages}`),
      ),
    ],
  };
}

/**
 * With a client ledger, the order-level invariants are judged for the ledger's orders and the products
 * they touch (so a run is judged on its own orders, not on whatever else shares the databases, such as
 * component tests that publish synthetic events); product sums still count every order and reservation.
 * Without a ledger (undefined), everything is in scope; an empty ledger (a run that placed no order,
 * e.g. browsing only) scopes to no order at all, leaving the broker and outbox checks.
 */
export function scope(snapshot: Snapshot, ledger: string[] | undefined): Snapshot {
  if (ledger === undefined) return snapshot;
  const ids = new Set(ledger);
  const orders = snapshot.orders.filter((order) => ids.has(order.id));
  const productIds = new Set(orders.flatMap((order) => order.items.map((line) => line.productId)));
  return {
    ...snapshot,
    orders,
    payments: snapshot.payments.filter((payment) => ids.has(payment.order_id)),
    products: snapshot.products.filter((product) => productIds.has(product.id)),
    reservations: snapshot.reservations.filter((reservation) => ids.has(reservation.order_id)),
    notifications: snapshot.notifications.filter((notification) => ids.has(notification.order_id)),
  };
}

export function checkAll(
  full: Snapshot,
  ledger: string[] | undefined,
  parkedBefore?: Record<string, number>,
): InvariantResult[] {
  const snapshot = scope(full, ledger);
  return [
    ordersTerminal(snapshot, ledger ?? []),
    chargesMatchOrders(snapshot),
    stockConserved(snapshot),
    oneNotificationPerOrder(snapshot),
    messagingDrained(snapshot, parkedBefore),
  ];
}
