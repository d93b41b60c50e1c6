import { randomUUID } from 'node:crypto';
import { type CancelReason, enqueueEvent, handleOnce } from '@confeitaria/platform';
import { trace } from '@opentelemetry/api';
import type pg from 'pg';
import { finishOrder } from '../data/order-repository';
import { orderCompletion, ordersFinished } from './order-metrics';

export type Outcome = { status: 'CONFIRMED' } | { status: 'CANCELLED'; reason: CancelReason };

/**
 * The saga's last step, owned by orders: a PENDING order becomes CONFIRMED or CANCELLED, and the
 * transition is announced (order.confirmed / order.cancelled) in the same transaction as the state
 * change and the inbox record. A duplicate or late event finds the order already terminal and does
 * nothing, so each order is announced once.
 */
export async function completeOrder(pool: pg.Pool, messageId: string, orderId: string, outcome: Outcome) {
  trace.getActiveSpan()?.setAttribute('order.id', orderId);
  let finished: Awaited<ReturnType<typeof finishOrder>>;
  await handleOnce(pool, messageId, async (client) => {
    const reason = outcome.status === 'CANCELLED' ? outcome.reason : null;
    finished = await finishOrder(client, orderId, outcome.status, reason);
    if (!finished) return;
    const routingKey = outcome.status === 'CONFIRMED' ? 'order.confirmed' : 'order.cancelled';
    const payload =
      outcome.status === 'CONFIRMED'
        ? { orderId, userId: finished.userId, items: finished.items, totalCents: finished.totalCents }
        : { orderId, userId: finished.userId, reason: outcome.reason, items: finished.items };
    await enqueueEvent(client, { messageId: randomUUID(), routingKey, payload });
  });
  if (finished) {
    ordersFinished.inc({ status: finished.status, reason: finished.reason ?? '' });
    const seconds = (Date.now() - Date.parse(finished.createdAt)) / 1000;
    const traceId = trace.getActiveSpan()?.spanContext().traceId;
    orderCompletion.observe({
      labels: { status: finished.status },
      value: seconds,
      exemplarLabels: (traceId ? { trace_id: traceId } : {}) as never,
    });
  }
}
