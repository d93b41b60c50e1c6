import { type ConsumerSpec, parseEvent } from '@confeitaria/platform';
import { trace } from '@opentelemetry/api';
import type pg from 'pg';
import type { Logger } from 'pino';
import { commitReservation } from '../domain/settle-reservation';
import { inboxId } from './inbox-id';

/** A confirmed order's reservations become sales. */
export function orderConfirmedConsumer(primary: pg.Pool, logger: Logger): ConsumerSpec {
  return {
    queue: 'catalog.order-confirmed',
    bindings: ['order.confirmed'],
    prefetch: 20,
    async handle(message) {
      const messageId = inboxId(message);
      const { orderId } = parseEvent('order.confirmed', message.payload);
      trace.getActiveSpan()?.setAttribute('order.id', orderId);
      const lines = await commitReservation(primary, messageId, orderId);
      logger.info({ orderId, lines }, 'order.confirmed handled: reservation committed');
    },
  };
}
