import { type ConsumerSpec, parseEvent } from '@confeitaria/platform';
import { trace } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { CartService } from '../domain/cart-service';

/**
 * Takes what an order bought out of the buyer's cart once the order is confirmed. Not a wholesale
 * clear: the shopper may have added items since placing the order (the confirmation can come much
 * later, e.g. after a broker outage), and those must stay. Applied once per order id (a marker in Redis,
 * set in the same script), so a redelivered event changes nothing; while Redis is down the script fails
 * and the broker retries it later.
 */
export function orderConfirmedConsumer(carts: CartService, logger: Logger): ConsumerSpec {
  return {
    queue: 'cart.order-confirmed',
    bindings: ['order.confirmed'],
    prefetch: 20,
    async handle(message) {
      const { orderId, userId, items } = parseEvent('order.confirmed', message.payload);
      trace.getActiveSpan()?.setAttribute('order.id', orderId);
      const applied = await carts.removeOrdered(userId, orderId, items);
      logger.info(
        { orderId, userId, applied },
        applied ? 'ordered items left the cart' : 'order already applied to the cart',
      );
    },
  };
}
