import { randomUUID } from 'node:crypto';
import { type EventPayload, enqueueEvent, handleOnce } from '@confeitaria/platform';
import type pg from 'pg';
import { hasReservations, insertReservations, type ReservationLine } from '../data/reservation-repository';
import { takeStock } from '../data/stock-repository';

const maxInt = 2_147_483_647;

export type ReservationOutcome = 'reserved' | 'rejected' | 'duplicate';

/** Thrown inside the reservation transaction to roll back every line already taken. */
class StockShortage extends Error {
  constructor(readonly productId: number) {
    super(`not enough stock of product ${productId}`);
  }
}

/**
 * Reserves stock for every line of an order, all or nothing, once per message: either every line is
 * taken and `stock.reserved` is announced, or nothing is taken and `stock.rejected` is. Lines are
 * taken in product id order so concurrent orders lock rows in the same order and cannot deadlock.
 */
export async function reserveStock(
  primary: pg.Pool,
  messageId: string,
  order: EventPayload<'order.created'>,
): Promise<ReservationOutcome> {
  const lines = mergeLines(order.items);
  try {
    let outcome: ReservationOutcome = 'duplicate';
    await handleOnce(primary, messageId, async (client) => {
      // Another message for the same order (not a redelivery: a different id) must not reserve twice.
      if (await hasReservations(client, order.orderId)) return;
      for (const line of lines) {
        // Beyond a Postgres integer there is no such product, nor that much stock.
        const fits = line.productId <= maxInt && line.quantity <= maxInt;
        if (!fits || !(await takeStock(client, line.productId, line.quantity))) throw new StockShortage(line.productId);
      }
      await insertReservations(client, order.orderId, lines);
      await enqueueEvent(client, {
        messageId: randomUUID(),
        routingKey: 'stock.reserved',
        payload: { orderId: order.orderId, totalCents: order.totalCents, paymentToken: order.paymentToken },
      });
      outcome = 'reserved';
    });
    return outcome;
  } catch (error) {
    if (!(error instanceof StockShortage)) throw error;
    const handled = await handleOnce(primary, messageId, (client) =>
      enqueueEvent(client, {
        messageId: randomUUID(),
        routingKey: 'stock.rejected',
        payload: { orderId: order.orderId, reason: 'OUT_OF_STOCK', productId: error.productId },
      }),
    );
    return handled ? 'rejected' : 'duplicate';
  }
}

/** One line per product (an order may list a product twice), in product id order. */
function mergeLines(items: ReservationLine[]): ReservationLine[] {
  const quantities = new Map<number, number>();
  for (const item of items) quantities.set(item.productId, (quantities.get(item.productId) ?? 0) + item.quantity);
  return [...quantities]
    .map(([productId, quantity]) => ({ productId, quantity }))
    .sort((a, b) => a.productId - b.productId);
}
