/**
 * Redelivery for real: the exact `stock.reserved` and `payment.succeeded` messages of a confirmed
 * order (taken from the catalog's and payments' outboxes) are published to the broker again, with
 * their original message ids and with new ones. Nothing may change the second time.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { postgresUrl } from '@confeitaria/stack/components/postgres';
import { host, ports } from '@confeitaria/stack/ports';
import amqp from 'amqplib';
import pg from 'pg';
import { assertAuditClean } from './support/audit';
import { newCustomer, newProduct, placeOrder, settled } from './support/shop';

const db = (name: string) => new pg.Pool({ connectionString: postgresUrl('primary', name), max: 2 });
const catalog = db('catalog');
const payments = db('payments');
const orders = db('orders');
const notifications = db('notifications');
after(() => Promise.all([catalog, payments, orders, notifications].map((pool) => pool.end())));

async function outboxMessage(pool: pg.Pool, routingKey: string, orderId: string) {
  const { rows } = await pool.query<{ message_id: string; payload: unknown }>(
    `SELECT message_id, payload FROM outbox WHERE routing_key = $1 AND payload->>'orderId' = $2`,
    [routingKey, orderId],
  );
  assert.equal(rows.length, 1, `one ${routingKey} in the outbox for ${orderId}`);
  return rows[0] as { message_id: string; payload: unknown };
}

const counts = async (orderId: string) => ({
  payments: (await payments.query('SELECT 1 FROM payments WHERE order_id = $1', [orderId])).rowCount,
  confirmedEvents: (
    await orders.query(`SELECT 1 FROM outbox WHERE routing_key = 'order.confirmed' AND payload->>'orderId' = $1`, [
      orderId,
    ])
  ).rowCount,
  notifications: (await notifications.query('SELECT 1 FROM notifications WHERE order_id = $1', [orderId])).rowCount,
  order: (
    await orders.query<{ status: string; updated_at: Date }>('SELECT status, updated_at FROM orders WHERE id = $1', [
      orderId,
    ])
  ).rows[0],
});

test('stock.reserved and payment.succeeded delivered twice change nothing the second time', async () => {
  const product = await newProduct(5);
  const user = await newCustomer();
  const accepted = await placeOrder(user, { items: [{ productId: product.id, quantity: 1 }] });
  assert.equal((await settled(user, accepted.body.id)).status, 'CONFIRMED');
  await sleep(1_000); // let notifications and the catalog's commit land
  const before = await counts(accepted.body.id);
  assert.deepEqual([before.payments, before.confirmedEvents, before.notifications], [1, 1, 1]);

  const reserved = await outboxMessage(catalog, 'stock.reserved', accepted.body.id);
  const succeeded = await outboxMessage(payments, 'payment.succeeded', accepted.body.id);
  const connection = await amqp.connect(`amqp://confeitaria:confeitaria@${host}:${ports.rabbitmqAmqp}`);
  const channel = await connection.createConfirmChannel();
  const publish = (key: string, payload: unknown, messageId: string) =>
    new Promise<void>((resolve, reject) =>
      channel.publish('shop.events', key, Buffer.from(JSON.stringify(payload)), { messageId, persistent: true }, (e) =>
        e ? reject(e) : resolve(),
      ),
    );
  // The same messages (same ids: the inbox must catch them) and copies with new ids (the order's own
  // state must catch those: one charge per order, one transition per order).
  await publish('stock.reserved', reserved.payload, reserved.message_id);
  await publish('payment.succeeded', succeeded.payload, succeeded.message_id);
  await publish('stock.reserved', reserved.payload, randomUUID());
  await publish('payment.succeeded', succeeded.payload, randomUUID());
  await connection.close();
  await sleep(3_000);

  const afterward = await counts(accepted.body.id);
  assert.deepEqual(afterward, before, 'nothing changed');
  await assertAuditClean([accepted.body.id]);
});
