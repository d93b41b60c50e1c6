import type { Queryable } from './queryable';

export type MovementKind = 'INITIAL' | 'RESTOCK' | 'ADJUST' | 'CREATE';

/** Locks a product's row for the rest of the transaction and reads its stock (undefined: no such product). */
export async function lockStock(db: Queryable, productId: number): Promise<number | undefined> {
  const { rows } = await db.query<{ stock: number }>('SELECT stock FROM products WHERE id = $1 FOR UPDATE', [
    productId,
  ]);
  return rows[0]?.stock;
}

export async function setStock(db: Queryable, productId: number, stock: number): Promise<void> {
  await db.query('UPDATE products SET stock = $2, updated_at = now() WHERE id = $1', [productId, stock]);
}

/**
 * Takes `quantity` units if there are that many; false when there are not (or no such product).
 * The condition is re-checked on the latest row version after any concurrent update commits, so two
 * orders can never both take the last units.
 */
export async function takeStock(db: Queryable, productId: number, quantity: number): Promise<boolean> {
  const result = await db.query(
    'UPDATE products SET stock = stock - $2, updated_at = now() WHERE id = $1 AND stock >= $2',
    [productId, quantity],
  );
  return result.rowCount === 1;
}

export async function returnStock(db: Queryable, productId: number, quantity: number): Promise<void> {
  await db.query('UPDATE products SET stock = stock + $2, updated_at = now() WHERE id = $1', [productId, quantity]);
}

export async function insertMovement(db: Queryable, productId: number, delta: number, kind: MovementKind) {
  await db.query('INSERT INTO stock_movements (product_id, delta, kind) VALUES ($1, $2, $3)', [productId, delta, kind]);
}
