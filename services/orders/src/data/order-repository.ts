import type { CancelReason } from '@confeitaria/platform';
import type pg from 'pg';

export type OrderStatus = 'PENDING' | 'CONFIRMED' | 'CANCELLED';

export interface OrderLine {
  productId: number;
  quantity: number;
  unitPriceCents: number;
}

export interface Order {
  id: string;
  userId: string;
  status: OrderStatus;
  reason?: CancelReason;
  items: OrderLine[];
  totalCents: number;
  paymentToken: string;
  createdAt: string;
  updatedAt: string;
}

interface OrderRow {
  id: string;
  user_id: string;
  status: OrderStatus;
  reason: CancelReason | null;
  items: OrderLine[];
  /** bigint: node-postgres reads it as text (exact); every total fits a double's 2⁵³ many times over. */
  total_cents: string;
  payment_token: string;
  request_hash: string | null;
  created_at: Date;
  updated_at: Date;
}

const columns = 'id, user_id, status, reason, items, total_cents, payment_token, request_hash, created_at, updated_at';

const toOrder = (row: OrderRow): Order => ({
  id: row.id,
  userId: row.user_id,
  status: row.status,
  ...(row.reason ? { reason: row.reason } : {}),
  items: row.items,
  totalCents: Number(row.total_cents),
  paymentToken: row.payment_token,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

export interface NewOrder {
  id: string;
  userId: string;
  items: OrderLine[];
  totalCents: number;
  paymentToken: string;
  idempotencyKey?: string;
  requestHash?: string;
}

export async function insertOrder(client: pg.PoolClient, order: NewOrder): Promise<Order> {
  const { rows } = await client.query<OrderRow>(
    `INSERT INTO orders (id, user_id, status, items, total_cents, payment_token, idempotency_key, request_hash)
     VALUES ($1, $2, 'PENDING', $3, $4, $5, $6, $7) RETURNING ${columns}`,
    [
      order.id,
      order.userId,
      JSON.stringify(order.items),
      order.totalCents,
      order.paymentToken,
      order.idempotencyKey ?? null,
      order.requestHash ?? null,
    ],
  );
  return toOrder(rows[0] as OrderRow);
}

/** An earlier order placed by the same user with the same Idempotency-Key, and the hash of its request. */
export async function findByIdempotencyKey(
  pool: pg.Pool,
  userId: string,
  key: string,
): Promise<{ order: Order; requestHash: string | null } | undefined> {
  const { rows } = await pool.query<OrderRow>(
    `SELECT ${columns} FROM orders WHERE user_id = $1 AND idempotency_key = $2`,
    [userId, key],
  );
  return rows[0] ? { order: toOrder(rows[0]), requestHash: rows[0].request_hash } : undefined;
}

export async function findOrder(pool: pg.Pool, id: string): Promise<Order | undefined> {
  const { rows } = await pool.query<OrderRow>(`SELECT ${columns} FROM orders WHERE id = $1`, [id]);
  return rows[0] ? toOrder(rows[0]) : undefined;
}

export async function listOrders(pool: pg.Pool, userId: string, limit = 50): Promise<Order[]> {
  const { rows } = await pool.query<OrderRow>(
    `SELECT ${columns} FROM orders WHERE user_id = $1 ORDER BY created_at DESC LIMIT $2`,
    [userId, limit],
  );
  return rows.map(toOrder);
}

/**
 * Moves a PENDING order to its terminal state. Returns the order when this call made the change, or
 * undefined when the order was already terminal (a duplicate or late event), so the caller announces
 * each transition exactly once.
 */
export async function finishOrder(
  client: pg.PoolClient,
  id: string,
  status: 'CONFIRMED' | 'CANCELLED',
  reason: CancelReason | null,
): Promise<Order | undefined> {
  const { rows } = await client.query<OrderRow>(
    `UPDATE orders SET status = $2, reason = $3, updated_at = now()
      WHERE id = $1 AND status = 'PENDING' RETURNING ${columns}`,
    [id, status, reason],
  );
  return rows[0] ? toOrder(rows[0]) : undefined;
}

/** How far behind the saga is: the gateway's admission control reads it (GET /saga/load). */
export interface SagaLoad {
  /** Orders accepted and not yet CONFIRMED or CANCELLED. */
  pending: number;
  /** Age of the oldest of them, in seconds (0 when none). */
  oldestPendingSeconds: number;
  /** order.created and order.* events written and not yet published. */
  outboxBacklog: number;
}

/** Both counts use partial indexes (orders_pending, outbox_unpublished): cheap however large the tables. */
export async function sagaLoad(pool: pg.Pool): Promise<SagaLoad> {
  const { rows } = await pool.query<SagaLoad>(
    `SELECT (SELECT count(*)::int FROM orders WHERE status = 'PENDING') AS pending,
            (SELECT coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8
               FROM orders WHERE status = 'PENDING') AS "oldestPendingSeconds",
            (SELECT count(*)::int FROM outbox WHERE published_at IS NULL) AS "outboxBacklog"`,
  );
  return rows[0] as SagaLoad;
}
