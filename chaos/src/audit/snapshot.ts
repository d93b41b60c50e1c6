import { postgresUrl } from '@confeitaria/stack/components/postgres';
import { host, ports } from '@confeitaria/stack/ports';
import pg from 'pg';

export interface OrderRow {
  id: string;
  status: 'PENDING' | 'CONFIRMED' | 'CANCELLED';
  reason: string | null;
  items: { productId: number; quantity: number }[];
}
export interface PaymentRow {
  order_id: string;
  status: 'SUCCEEDED' | 'DECLINED';
}
export interface ProductRow {
  id: number;
  stock: number;
  movements: number;
  reserved: number;
  committed: number;
}
export interface ReservationRow {
  order_id: string;
  product_id: number;
  quantity: number;
  status: 'RESERVED' | 'COMMITTED' | 'RELEASED';
}
export interface NotificationRow {
  order_id: string;
  kind: string;
}
export interface QueueDepth {
  queue: string;
  messages: number;
}

/** Everything the invariants are checked against, read straight from the databases and the broker. */
export interface Snapshot {
  orders: OrderRow[];
  payments: PaymentRow[];
  products: ProductRow[];
  reservations: ReservationRow[];
  notifications: NotificationRow[];
  unpublishedOutbox: Record<string, number>;
  queues: QueueDepth[];
  /** Quantities sold per product: the lines of every CONFIRMED order in the orders database. */
  soldByProduct: Map<number, number>;
}

export function soldByProduct(orders: OrderRow[]): Map<number, number> {
  const sold = new Map<number, number>();
  for (const order of orders.filter((o) => o.status === 'CONFIRMED')) {
    for (const line of order.items) sold.set(line.productId, (sold.get(line.productId) ?? 0) + line.quantity);
  }
  return sold;
}

async function query<T extends pg.QueryResultRow>(database: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: postgresUrl('primary', database), connectionTimeoutMillis: 5_000 });
  // The auditor runs right after database crashes: a dropped connection fails this query, never the runner.
  client.on('error', () => {});
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** Queue depths from RabbitMQ's Prometheus endpoint (per-queue family), so no management plugin is needed. */
export async function queueDepths(): Promise<QueueDepth[]> {
  // RABBITMQ_PROMETHEUS_URL: the broker's Prometheus endpoint seen from the chaos runner's container.
  const base = process.env.RABBITMQ_PROMETHEUS_URL ?? `http://${host}:${ports.rabbitmqPrometheus}`;
  const url = `${base}/metrics/detailed?family=queue_coarse_metrics`;
  const text = await (await fetch(url, { signal: AbortSignal.timeout(5_000) })).text();
  const depths: QueueDepth[] = [];
  for (const [, queue = '', value = '0'] of text.matchAll(
    /^rabbitmq_detailed_queue_messages\{[^}]*queue="([^"]+)"[^}]*\} (\S+)$/gm,
  )) {
    depths.push({ queue, messages: Number(value) });
  }
  return depths;
}

export async function takeSnapshot(): Promise<Snapshot> {
  const [orders, payments, products, reservations, notifications, queues] = await Promise.all([
    query<OrderRow>('orders', 'SELECT id, status, reason, items FROM orders'),
    query<PaymentRow>('payments', 'SELECT order_id, status FROM payments'),
    query<ProductRow>(
      'catalog',
      `SELECT p.id, p.stock,
              COALESCE((SELECT sum(delta) FROM stock_movements m WHERE m.product_id = p.id), 0)::int AS movements,
              COALESCE((SELECT sum(quantity) FROM reservations r WHERE r.product_id = p.id AND r.status = 'RESERVED'), 0)::int AS reserved,
              COALESCE((SELECT sum(quantity) FROM reservations r WHERE r.product_id = p.id AND r.status = 'COMMITTED'), 0)::int AS committed
         FROM products p`,
    ),
    query<ReservationRow>('catalog', 'SELECT order_id, product_id, quantity, status FROM reservations'),
    query<NotificationRow>('notifications', 'SELECT order_id, kind FROM notifications'),
    queueDepths(),
  ]);
  return {
    orders,
    payments,
    products,
    reservations,
    notifications,
    unpublishedOutbox: await unpublishedOutbox(),
    queues,
    soldByProduct: soldByProduct(orders),
  };
}

/** Outbox rows not yet published, per database that has an outbox. */
export async function unpublishedOutbox(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const database of ['orders', 'catalog', 'payments']) {
    const [row] = await query<{ n: number }>(
      database,
      'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL',
    );
    counts[database] = row?.n ?? 0;
  }
  return counts;
}

/** Orders still PENDING that were accepted more than `seconds` ago. */
export async function pendingOrdersOlderThan(seconds: number): Promise<number> {
  const [row] = await query<{ n: number }>(
    'orders',
    "SELECT count(*)::int AS n FROM orders WHERE status = 'PENDING' AND created_at < now() - make_interval(secs => $1)",
    [seconds],
  );
  return row?.n ?? 0;
}
