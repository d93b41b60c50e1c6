import { handleOnce } from '@confeitaria/platform';
import type pg from 'pg';
import { commitReservations, releaseReservations } from '../data/reservation-repository';
import { returnStock } from '../data/stock-repository';

/** The order was paid: its reserved units are sold for good. Resolves to the lines committed (0 for a duplicate). */
export async function commitReservation(primary: pg.Pool, messageId: string, orderId: string): Promise<number> {
  let committed = 0;
  await handleOnce(primary, messageId, async (client) => {
    committed = await commitReservations(client, orderId);
  });
  return committed;
}

/**
 * The order was cancelled: its reserved units go back on the shelf, in the same transaction as the
 * status change, so stock and reservations always agree. An order rejected for stock reserved
 * nothing, and releases nothing. Resolves to the lines released (0 for a duplicate).
 */
export async function releaseReservation(primary: pg.Pool, messageId: string, orderId: string): Promise<number> {
  let released = 0;
  await handleOnce(primary, messageId, async (client) => {
    const lines = await releaseReservations(client, orderId);
    for (const line of lines) await returnStock(client, line.productId, line.quantity);
    released = lines.length;
  });
  return released;
}
