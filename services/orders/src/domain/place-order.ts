import { createHash, randomUUID } from 'node:crypto';
import { AppError, ErrorCode, enqueueEvent, withTransaction } from '@confeitaria/platform';
import { trace } from '@opentelemetry/api';
import type pg from 'pg';
import { findByIdempotencyKey, insertOrder, type Order } from '../data/order-repository';
import { ordersAccepted } from './order-metrics';
import type { PriceSnapshot } from './price-snapshot';

export interface PlaceOrderCommand {
  userId: string;
  items: { productId: number; quantity: number }[];
  paymentToken: string;
  idempotencyKey?: string;
}

const hashOf = (command: PlaceOrderCommand) =>
  createHash('sha256')
    .update(JSON.stringify([command.items, command.paymentToken]))
    .digest('hex');

/** A replayed Idempotency-Key: the same request gets the same order, another request a 409. */
function replay(existing: { order: Order; requestHash: string | null }, requestHash: string): Order {
  if (existing.requestHash !== requestHash) {
    throw new AppError(409, ErrorCode.Conflict, 'Idempotency-Key was already used with a different request');
  }
  return existing.order;
}

/**
 * Accepts an order: prices it from the catalog, then writes the order and its `order.created` event
 * in one transaction, so an accepted order is always announced (by the outbox relay) even if the
 * broker is down right now. With an Idempotency-Key, a retried request returns the original order.
 */
export async function placeOrder(
  pool: pg.Pool,
  priceSnapshot: PriceSnapshot,
  command: PlaceOrderCommand,
): Promise<{ order: Order; replayed: boolean }> {
  const requestHash = hashOf(command);
  if (command.idempotencyKey) {
    const existing = await findByIdempotencyKey(pool, command.userId, command.idempotencyKey);
    if (existing) return { order: replay(existing, requestHash), replayed: true };
  }
  const items = await priceSnapshot(command.items);
  const id = randomUUID();
  trace.getActiveSpan()?.setAttribute('order.id', id);
  try {
    const order = await withTransaction(pool, async (client) => {
      const created = await insertOrder(client, {
        id,
        userId: command.userId,
        items,
        totalCents: items.reduce((sum, line) => sum + line.unitPriceCents * line.quantity, 0),
        paymentToken: command.paymentToken,
        idempotencyKey: command.idempotencyKey,
        requestHash,
      });
      await enqueueEvent(client, {
        messageId: randomUUID(),
        routingKey: 'order.created',
        payload: {
          orderId: created.id,
          userId: created.userId,
          items: created.items,
          totalCents: created.totalCents,
          paymentToken: created.paymentToken,
          createdAt: created.createdAt,
        },
      });
      return created;
    });
    ordersAccepted.inc();
    return { order, replayed: false };
  } catch (error) {
    // Two requests with one key raced: the loser answers like a replay.
    if ((error as { code?: string }).code === '23505' && command.idempotencyKey) {
      const existing = await findByIdempotencyKey(pool, command.userId, command.idempotencyKey);
      if (existing) return { order: replay(existing, requestHash), replayed: true };
    }
    throw error;
  }
}
