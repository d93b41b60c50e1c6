import type pg from 'pg';

export interface Notification {
  orderId: string;
  userId: string;
  kind: 'ORDER_CONFIRMED' | 'ORDER_CANCELLED';
  message: string;
  createdAt: string;
}

interface NotificationRow {
  order_id: string;
  user_id: string;
  kind: Notification['kind'];
  message: string;
  created_at: Date;
}

/** Inserts a notification; one per order, so a repeated event cannot notify twice. */
export async function insertNotification(
  client: pg.PoolClient,
  notification: Omit<Notification, 'createdAt'>,
): Promise<boolean> {
  const result = await client.query(
    'INSERT INTO notifications (order_id, user_id, kind, message) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
    [notification.orderId, notification.userId, notification.kind, notification.message],
  );
  return result.rowCount === 1;
}

export async function notificationsForOrder(pool: pg.Pool, orderId: string): Promise<Notification[]> {
  const { rows } = await pool.query<NotificationRow>(
    'SELECT order_id, user_id, kind, message, created_at FROM notifications WHERE order_id = $1 ORDER BY id',
    [orderId],
  );
  return rows.map((row) => ({
    orderId: row.order_id,
    userId: row.user_id,
    kind: row.kind,
    message: row.message,
    createdAt: row.created_at.toISOString(),
  }));
}
