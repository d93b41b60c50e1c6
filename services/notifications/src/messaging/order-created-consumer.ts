import { type ConsumerSpec, handleOnce } from '@confeitaria/platform';
import { trace } from '@opentelemetry/api';
import type pg from 'pg';
import type { Logger } from 'pino';
import { z } from 'zod';
import { insertNotification } from '../data/notification-repository';

const orderCreated = z.object({ orderId: z.uuid() });

/** Tells the customer their order was received, once per order however often the event arrives. */
export function orderCreatedConsumer(pool: pg.Pool, logger: Logger): ConsumerSpec {
  return {
    queue: 'notifications.order-created',
    bindings: ['order.created'],
    prefetch: 20,
    async handle(message) {
      const { orderId } = orderCreated.parse(message.payload);
      trace.getActiveSpan()?.setAttribute('order.id', orderId);
      const handled = await handleOnce(pool, message.messageId, (client) =>
        insertNotification(client, {
          orderId,
          kind: 'ORDER_RECEIVED',
          message: `Recebemos o seu pedido ${orderId}.`,
        }).then(() => {}),
      );
      logger.info({ orderId, duplicate: !handled }, 'notification for order.created');
    },
  };
}
