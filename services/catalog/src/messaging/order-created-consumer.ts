import { type ConsumerSpec, parseEvent } from '@confeitaria/platform';
import { trace } from '@opentelemetry/api';
import type pg from 'pg';
import type { Logger } from 'pino';
import { reserveStock } from '../domain/reserve-stock';
import { reservationsTotal } from '../metrics/catalog-metrics';
import { inboxId } from './inbox-id';

/** The saga's first step: reserve the order's stock, or reject the order as out of stock. */
export function orderCreatedConsumer(primary: pg.Pool, logger: Logger): ConsumerSpec {
  return {
    queue: 'catalog.order-created',
    bindings: ['order.created'],
    prefetch: 10,
    async handle(message) {
      const messageId = inboxId(message);
      const order = parseEvent('order.created', message.payload);
      trace.getActiveSpan()?.setAttribute('order.id', order.orderId);
      const outcome = await reserveStock(primary, messageId, order);
      if (outcome !== 'duplicate') reservationsTotal.inc({ outcome });
      logger.info({ orderId: order.orderId, outcome }, 'order.created handled');
    },
  };
}
