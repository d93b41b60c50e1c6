import { type ConsumerSpec, handleOnce, parseEvent } from '@confeitaria/platform';
import { trace } from '@opentelemetry/api';
import type pg from 'pg';
import type { Logger } from 'pino';
import { insertNotification } from '../data/notification-repository';

const reasons: Record<string, string> = {
  OUT_OF_STOCK: 'um dos produtos esgotou',
  PAYMENT_DECLINED: 'o pagamento foi recusado',
};

/**
 * Tells the customer how their order ended: exactly one notification per terminal order, however
 * often the event arrives (inbox by message id, and a unique order id as the last guard).
 */
export function orderOutcomeConsumer(pool: pg.Pool, logger: Logger): ConsumerSpec {
  return {
    queue: 'notifications.order-outcome',
    bindings: ['order.confirmed', 'order.cancelled'],
    prefetch: 20,
    async handle(message) {
      const notification =
        message.routingKey === 'order.confirmed'
          ? (() => {
              const event = parseEvent('order.confirmed', message.payload);
              return {
                orderId: event.orderId,
                userId: event.userId,
                kind: 'ORDER_CONFIRMED' as const,
                message: `Seu pedido ${event.orderId} foi confirmado. Obrigado pela compra!`,
              };
            })()
          : (() => {
              const event = parseEvent('order.cancelled', message.payload);
              return {
                orderId: event.orderId,
                userId: event.userId,
                kind: 'ORDER_CANCELLED' as const,
                message: `Seu pedido ${event.orderId} foi cancelado: ${reasons[event.reason] ?? event.reason}.`,
              };
            })();
      trace.getActiveSpan()?.setAttribute('order.id', notification.orderId);
      let created = false;
      await handleOnce(pool, message.messageId, async (client) => {
        created = await insertNotification(client, notification);
      });
      logger.info({ orderId: notification.orderId, kind: notification.kind, created }, 'notification');
    },
  };
}
