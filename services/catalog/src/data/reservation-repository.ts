import type { Queryable } from './queryable';

export interface ReservationLine {
  productId: number;
  quantity: number;
}

export async function hasReservations(db: Queryable, orderId: string): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM reservations WHERE order_id = $1 LIMIT 1', [orderId]);
  return rows.length > 0;
}

export async function insertReservations(db: Queryable, orderId: string, lines: ReservationLine[]): Promise<void> {
  await db.query(
    `INSERT INTO reservations (order_id, product_id, quantity, status)
     SELECT $1, line.product_id, line.quantity, 'RESERVED'
       FROM unnest($2::int[], $3::int[]) AS line (product_id, quantity)`,
    [orderId, lines.map((line) => line.productId), lines.map((line) => line.quantity)],
  );
}

/** RESERVED → COMMITTED for the order; returns how many lines changed. */
export async function commitReservations(db: Queryable, orderId: string): Promise<number> {
  const result = await db.query(
    `UPDATE reservations SET status = 'COMMITTED', updated_at = now()
      WHERE order_id = $1 AND status = 'RESERVED'`,
    [orderId],
  );
  return result.rowCount ?? 0;
}

/** RESERVED → RELEASED for the order; returns the released lines in product id order. */
export async function releaseReservations(db: Queryable, orderId: string): Promise<ReservationLine[]> {
  const { rows } = await db.query<{ product_id: number; quantity: number }>(
    `UPDATE reservations SET status = 'RELEASED', updated_at = now()
      WHERE order_id = $1 AND status = 'RESERVED'
      RETURNING product_id, quantity`,
    [orderId],
  );
  return rows
    .map((row) => ({ productId: row.product_id, quantity: row.quantity }))
    .sort((a, b) => a.productId - b.productId);
}
