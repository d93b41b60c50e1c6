import type pg from 'pg';
import { withTransaction } from '../data/postgres';

/**
 * Runs a consumer's work at most once per message id (the service's migrations create
 * `inbox (message_id uuid PRIMARY KEY, handled_at timestamptz)`): the id is recorded in the inbox in the same
 * transaction as the work, so a redelivered message (broker restart, relay re-publish) finds its id
 * and changes nothing. Resolves to false for a duplicate.
 */
export function handleOnce(
  pool: pg.Pool,
  messageId: string,
  work: (client: pg.PoolClient) => Promise<void>,
): Promise<boolean> {
  return withTransaction(pool, async (client) => {
    const inserted = await client.query('INSERT INTO inbox (message_id) VALUES ($1) ON CONFLICT DO NOTHING', [
      messageId,
    ]);
    if (inserted.rowCount === 0) return false;
    await work(client);
    return true;
  });
}
