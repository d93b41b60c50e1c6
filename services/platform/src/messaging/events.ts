/**
 * The order saga's events: routing keys and payload schemas, in one place, so every publisher and
 * consumer agrees on them (DESIGN.md §1 and §3).
 *
 *   order.created    orders → catalog          reserve stock for every line, or reject the order
 *   stock.reserved   catalog → payments        charge the order's total
 *   stock.rejected   catalog → orders          cancel: OUT_OF_STOCK
 *   payment.succeeded / payment.declined       payments → orders: confirm, or cancel (PAYMENT_DECLINED)
 *   order.confirmed  orders → catalog (commit the reservation), cart (clear), notifications
 *   order.cancelled  orders → catalog (release the reservation), notifications
 */
import { z } from 'zod';

const orderLine = z.object({
  productId: z.number().int().positive(),
  quantity: z.number().int().positive(),
  unitPriceCents: z.number().int().nonnegative(),
});

export const cancelReasons = ['OUT_OF_STOCK', 'PAYMENT_DECLINED'] as const;
export type CancelReason = (typeof cancelReasons)[number];

export const eventSchemas = {
  'order.created': z.object({
    orderId: z.uuid(),
    userId: z.uuid(),
    items: z.array(orderLine).min(1),
    totalCents: z.number().int().nonnegative(),
    paymentToken: z.string(),
    createdAt: z.string(),
  }),
  'stock.reserved': z.object({
    orderId: z.uuid(),
    totalCents: z.number().int().nonnegative(),
    paymentToken: z.string(),
  }),
  'stock.rejected': z.object({
    orderId: z.uuid(),
    reason: z.literal('OUT_OF_STOCK'),
    productId: z.number().int().positive(),
  }),
  'payment.succeeded': z.object({
    orderId: z.uuid(),
    paymentId: z.uuid(),
    amountCents: z.number().int().nonnegative(),
  }),
  'payment.declined': z.object({
    orderId: z.uuid(),
    paymentId: z.uuid(),
    reason: z.string(),
  }),
  'order.confirmed': z.object({
    orderId: z.uuid(),
    userId: z.uuid(),
    items: z.array(orderLine),
    totalCents: z.number().int().nonnegative(),
  }),
  'order.cancelled': z.object({
    orderId: z.uuid(),
    userId: z.uuid(),
    reason: z.enum(cancelReasons),
    items: z.array(orderLine),
  }),
} as const;

export type EventName = keyof typeof eventSchemas;
export type EventPayload<E extends EventName> = z.infer<(typeof eventSchemas)[E]>;

/** Parses an incoming payload against its event's schema; throws (and so parks the message) if it does not fit. */
export function parseEvent<E extends EventName>(name: E, payload: unknown): EventPayload<E> {
  return eventSchemas[name].parse(payload) as EventPayload<E>;
}
