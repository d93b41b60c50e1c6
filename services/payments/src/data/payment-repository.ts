import type pg from 'pg';

export type PaymentStatus = 'SUCCEEDED' | 'DECLINED';

export interface Payment {
  id: string;
  orderId: string;
  amountCents: number;
  status: PaymentStatus;
  reason: string | null;
  createdAt: string;
}

interface PaymentRow {
  id: string;
  order_id: string;
  amount_cents: string;
  status: PaymentStatus;
  reason: string | null;
  created_at: Date;
}

const columns = 'id, order_id, amount_cents, status, reason, created_at';

const toPayment = (row: PaymentRow): Payment => ({
  id: row.id,
  orderId: row.order_id,
  amountCents: Number(row.amount_cents),
  status: row.status,
  reason: row.reason,
  createdAt: row.created_at.toISOString(),
});

/**
 * Records a payment unless the order already has one (UNIQUE order_id): the guarantee that an order
 * is charged at most once. Resolves to the new payment, or undefined when one existed.
 */
export async function insertPayment(
  client: pg.PoolClient,
  payment: Omit<Payment, 'createdAt'> & { token: string },
): Promise<Payment | undefined> {
  const { rows } = await client.query<PaymentRow>(
    `INSERT INTO payments (id, order_id, amount_cents, status, reason, token) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (order_id) DO NOTHING
     RETURNING ${columns}`,
    [payment.id, payment.orderId, payment.amountCents, payment.status, payment.reason, payment.token],
  );
  return rows[0] ? toPayment(rows[0]) : undefined;
}

export async function paymentsForOrder(pool: pg.Pool, orderId: string): Promise<Payment[]> {
  const { rows } = await pool.query<PaymentRow>(
    `SELECT ${columns} FROM payments WHERE order_id = $1 ORDER BY created_at`,
    [orderId],
  );
  return rows.map(toPayment);
}
