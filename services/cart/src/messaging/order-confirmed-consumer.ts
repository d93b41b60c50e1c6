import { type ConsumerSpec, parseEvent } from '@confeitaria/platform';
import { trace } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { CartService } from '../domain/cart-service';

/**
 * Empties the buyer's cart once their order is confirmed. Deleting is idempotent, so a redelivered
 * event needs no inbox; while Redis is down the delete fails and the broker retries it later.
 */
export function orderConfirmedConsumer(carts: CartService, logger: Logger): ConsumerSpec {
  return {
    queue: 'cart.order-confirmed',
    bindings: ['order.confirmed'],
    prefetch: 20,
    async handle(message) {
      const { orderId, userId } = parseEvent('order.confirmed', message.payload);
      trace.getActiveSpan()?.setAttribute('order.id', orderId);
      await carts.clear(userId);
      logger.info({ orderId, userId }, 'cart cleared after order.confirmed');
    },
  };
}
