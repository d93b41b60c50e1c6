import { type ConsumerSpec, parseEvent } from '@confeitaria/platform';
import { trace } from '@opentelemetry/api';
import type pg from 'pg';
import type { Logger } from 'pino';
import { releaseReservation } from '../domain/settle-reservation';
import { inboxId } from './inbox-id';

/** A cancelled order's reserved units return to stock. */
export function orderCancelledConsumer(primary: pg.Pool, logger: Logger): ConsumerSpec {
  return {
    queue: 'catalog.order-cancelled',
    bindings: ['order.cancelled'],
    prefetch: 20,
    async handle(message) {
      const messageId = inboxId(message);
      const { orderId, reason } = parseEvent('order.cancelled', message.payload);
      trace.getActiveSpan()?.setAttribute('order.id', orderId);
      const lines = await releaseReservation(primary, messageId, orderId);
      logger.info({ orderId, reason, lines }, 'order.cancelled handled: reservation released');
    },
  };
}
