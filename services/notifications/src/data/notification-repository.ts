import type pg from 'pg';

export interface Notification {
  orderId: string;
  kind: string;
  message: string;
  createdAt: string;
}

interface NotificationRow {
  order_id: string;
  kind: string;
  message: string;
  created_at: Date;
}

/** Inserts a notification; one per (order, kind), so a repeated event cannot notify twice. */
export async function insertNotification(
  client: pg.PoolClient,
  notification: Omit<Notification, 'createdAt'>,
): Promise<boolean> {
  const result = await client.query(
    'INSERT INTO notifications (order_id, kind, message) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
    [notification.orderId, notification.kind, notification.message],
  );
  return result.rowCount === 1;
}

export async function notificationsForOrder(pool: pg.Pool, orderId: string): Promise<Notification[]> {
  const { rows } = await pool.query<NotificationRow>(
    'SELECT order_id, kind, message, created_at FROM notifications WHERE order_id = $1 ORDER BY id',
    [orderId],
  );
  return rows.map((row) => ({
    orderId: row.order_id,
    kind: row.kind,
    message: row.message,
    createdAt: row.created_at.toISOString(),
  }));
}
