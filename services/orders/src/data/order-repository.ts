import type pg from 'pg';

export type OrderStatus = 'PENDING' | 'CONFIRMED' | 'CANCELLED';

export interface OrderItem {
  productId: number;
  quantity: number;
}

export interface Order {
  id: string;
  status: OrderStatus;
  items: OrderItem[];
  createdAt: string;
  updatedAt: string;
}

interface OrderRow {
  id: string;
  status: OrderStatus;
  items: OrderItem[];
  created_at: Date;
  updated_at: Date;
}

const toOrder = (row: OrderRow): Order => ({
  id: row.id,
  status: row.status,
  items: row.items,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

export async function insertOrder(client: pg.PoolClient, id: string, items: OrderItem[]): Promise<Order> {
  const { rows } = await client.query<OrderRow>(
    `INSERT INTO orders (id, status, items) VALUES ($1, 'PENDING', $2)
     RETURNING id, status, items, created_at, updated_at`,
    [id, JSON.stringify(items)],
  );
  return toOrder(rows[0] as OrderRow);
}

export async function findOrder(pool: pg.Pool, id: string): Promise<Order | undefined> {
  const { rows } = await pool.query<OrderRow>(
    'SELECT id, status, items, created_at, updated_at FROM orders WHERE id = $1',
    [id],
  );
  return rows[0] ? toOrder(rows[0]) : undefined;
}
