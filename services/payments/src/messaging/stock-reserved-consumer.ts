import { type ConsumerSpec, parseEvent } from '@confeitaria/platform';
import { trace } from '@opentelemetry/api';
import type pg from 'pg';
import type { Logger } from 'pino';
import { z } from 'zod';
import { chargeOrder } from '../domain/charge-order';
import type { SimulatedProvider } from '../domain/payment-provider';

/** The inbox keys on the message id, so a message without a uuid id cannot be handled once: park it. */
const messageIdSchema = z.uuid();

/** Charges every order whose stock was reserved (DESIGN.md §1: stock.reserved → payments). */
export function stockReservedConsumer(pool: pg.Pool, provider: SimulatedProvider, logger: Logger): ConsumerSpec {
  return {
    queue: 'payments.stock-reserved',
    bindings: ['stock.reserved'],
    prefetch: 20,
    async handle(message) {
      const event = parseEvent('stock.reserved', message.payload);
      const messageId = messageIdSchema.parse(message.messageId);
      trace.getActiveSpan()?.setAttribute('order.id', event.orderId);
      logger.debug({ orderId: event.orderId, messageId }, 'charging order');
      const payment = await chargeOrder(pool, provider, { messageId, ...event });
      if (payment) {
        logger.info({ orderId: event.orderId, paymentId: payment.id, status: payment.status }, 'payment recorded');
      } else {
        logger.info({ orderId: event.orderId, messageId }, 'order already charged; message ignored');
      }
    },
  };
}
