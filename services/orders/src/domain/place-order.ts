import { randomUUID } from 'node:crypto';
import { enqueueEvent, withTransaction } from '@confeitaria/platform';
import { trace } from '@opentelemetry/api';
import type pg from 'pg';
import { insertOrder, type Order, type OrderItem } from '../data/order-repository';

/**
 * Accepts an order: the order row and its `order.created` event are written in one transaction, so
 * an accepted order is always announced (by the outbox relay) even if the broker is down right now.
 */
export async function placeOrder(pool: pg.Pool, items: OrderItem[]): Promise<Order> {
  const id = randomUUID();
  trace.getActiveSpan()?.setAttribute('order.id', id);
  return withTransaction(pool, async (client) => {
    const order = await insertOrder(client, id, items);
    await enqueueEvent(client, {
      messageId: randomUUID(),
      routingKey: 'order.created',
      payload: { orderId: order.id, items: order.items, createdAt: order.createdAt },
    });
    return order;
  });
}
