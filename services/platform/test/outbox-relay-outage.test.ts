/**
 * The outbox relay through a real broker outage (`rabbitmqctl stop_app`, then `start_app`), in a
 * composition started as a service starts it (`startMessaging`): the rows stay in the outbox, the relay
 * neither polls nor logs once per pass while the broker is away, and everything is published once it
 * is back. The outbox lives in a schema of the test's own, dropped afterwards.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { withTransaction } from '../src/data/postgres';
import { type Messaging, startMessaging } from '../src/messaging/messaging';
import { enqueueEvent } from '../src/messaging/outbox-relay';
import {
  amqpUrl,
  capturedLogger,
  countingConsumer,
  deleteConsumerQueues,
  uniqueName,
  waitFor,
} from './broker-test-kit';
import { rabbitmqctl } from './rabbitmq-process';

const databaseUrl = 'postgres://orders:orders@127.0.0.1:15432/orders';
const schema = `relay_test_${randomUUID().slice(0, 8)}`;
const queue = uniqueName('outbox-relay');
const routingKey = `${queue}.numbered`;
const admin = new pg.Pool({ connectionString: databaseUrl, max: 1 });
const pool = new pg.Pool({ connectionString: databaseUrl, max: 4, options: `-c search_path=${schema}` });
let messaging: Messaging | undefined;

before(async () => {
  await admin.query(`CREATE SCHEMA ${schema}`);
  const outboxTable = join(__dirname, '..', '..', 'migrations', '000_outbox.sql');
  await pool.query(readFileSync(outboxTable, 'utf8'));
});

after(async () => {
  await rabbitmqctl(['start_app']).catch(() => {});
  await messaging?.stop();
  await pool.end();
  await admin.query(`DROP SCHEMA ${schema} CASCADE`);
  await admin.end();
  await deleteConsumerQueues([queue]);
});

const enqueue = (from: number, to: number) =>
  withTransaction(pool, async (client) => {
    for (let n = from; n < to; n++) await enqueueEvent(client, { messageId: randomUUID(), routingKey, payload: { n } });
  });

const unpublished = async () =>
  (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL')).rows[0]?.n;

test('during a broker outage the relay keeps the rows, stays quiet and does not poll; it publishes everything once the broker is back', async () => {
  const log = capturedLogger();
  const consumer = countingConsumer(queue, routingKey);
  const started = await startMessaging({
    amqpUrl,
    logger: log.logger,
    consumers: [consumer.spec],
    outbox: pool,
    connectionName: uniqueName('connection'),
  });
  messaging = started;
  let passes = 0; // each relay pass takes a client from the pool
  pool.on('acquire', () => passes++);
  await started.broker.start(); // resolves once the consumer's queue is declared: nothing published before is routed
  await enqueue(0, 20);
  await waitFor('the first twenty events relayed', () => consumer.received.size === 20);

  await rabbitmqctl(['stop_app']);
  try {
    await waitFor('the broker to be gone', () => !started.broker.ready);
    await enqueue(20, 70);
    const quietFrom = { passes, lines: log.lines.length };
    await sleep(12_000); // long enough for a relay that retried every 100 ms to make a hundred passes
    const relayPasses = passes - quietFrom.passes;
    const linesDuringOutage = log.lines.slice(quietFrom.lines);
    assert.equal(await unpublished(), 50, 'the outbox keeps what it could not publish');
    assert.ok(relayPasses <= 5, `${relayPasses} relay passes while the broker was away`);
    assert.deepEqual(linesDuringOutage, [], 'nothing logged while the outage lasts');
    assert.equal(started.liveness(), undefined, 'a broker outage is not a liveness problem');
    await assert.rejects(started.check(), /not connected to RabbitMQ/);
    console.log(`${relayPasses} relay passes in 12 s of outage; ${log.lines.length} log lines in all`);
  } finally {
    await rabbitmqctl(['start_app']);
  }

  await waitFor('every event relayed after the outage', () => consumer.received.size === 70, 120_000);
  await waitFor('the outbox marked published', async () => (await unpublished()) === 0);
  await started.check();
  const warned = log.lines.filter((line) => line.level >= 40).map((line) => line.msg);
  assert.deepEqual(warned, ['rabbitmq unavailable'], 'the outage is logged once');
});
