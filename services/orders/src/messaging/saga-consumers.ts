import { type ConsumerSpec, parseEvent } from '@confeitaria/platform';
import type pg from 'pg';
import { completeOrder } from '../domain/finish-order';

/** The events that end an order's saga: stock rejected, payment succeeded or declined. */
export function sagaConsumers(pool: pg.Pool): ConsumerSpec[] {
  return [
    {
      queue: 'orders.stock-rejected',
      bindings: ['stock.rejected'],
      prefetch: 20,
      handle: async (message) => {
        const event = parseEvent('stock.rejected', message.payload);
        await completeOrder(pool, message.messageId, event.orderId, { status: 'CANCELLED', reason: 'OUT_OF_STOCK' });
      },
    },
    {
      queue: 'orders.payment-succeeded',
      bindings: ['payment.succeeded'],
      prefetch: 20,
      handle: async (message) => {
        const event = parseEvent('payment.succeeded', message.payload);
        await completeOrder(pool, message.messageId, event.orderId, { status: 'CONFIRMED' });
      },
    },
    {
      queue: 'orders.payment-declined',
      bindings: ['payment.declined'],
      prefetch: 20,
      handle: async (message) => {
        const event = parseEvent('payment.declined', message.payload);
        await completeOrder(pool, message.messageId, event.orderId, {
          status: 'CANCELLED',
          reason: 'PAYMENT_DECLINED',
        });
      },
    },
  ];
}
