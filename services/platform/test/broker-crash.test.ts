/**
 * A real crash of RabbitMQ (SIGKILL of its Erlang VM, not a proxy fault) in the middle of a stream of
 * confirmed publishes, then a start of the stack component again. The publisher retries a failed
 * batch as the outbox relay does; afterwards every message whose publish was confirmed must be
 * consumed, and the repeats must stay within what was in flight at the crash.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Broker } from '../src/messaging/broker';
import {
  amqpUrl,
  capturedLogger,
  countingConsumer,
  deleteConsumerQueues,
  metricValue,
  uniqueName,
  waitFor,
} from './broker-test-kit';
import { killBroker, startBroker } from './rabbitmq-process';

const queue = uniqueName('broker-crash');
const routingKey = `${queue}.numbered`;
const total = 1_500;
const batchSize = 50;
const prefetch = 20;
let broker: Broker | undefined;

after(async () => {
  await broker?.stop();
  await startBroker(); // whatever happened, the next tests find the broker up
  await deleteConsumerQueues([queue]);
});

test('RabbitMQ SIGKILLed mid-publish and started again: every confirmed message is consumed, repeats bounded by what was in flight', async () => {
  const log = capturedLogger();
  const consumer = countingConsumer(queue, routingKey, prefetch);
  broker = new Broker(amqpUrl, log.logger, { connectionName: uniqueName('connection') });
  await broker.consume(consumer.spec);
  await broker.start();
  const outagesBefore = await metricValue('dependency_outages_total', { dependency: 'rabbitmq' });

  // One message id per number, kept across retries, as an outbox row keeps its message_id.
  const messageIds = Array.from({ length: total }, () => randomUUID());
  const confirmed = new Set<number>();
  let failedBatches = 0;
  let giveUp = false;
  const publishing = (async (publisher: Broker) => {
    for (let from = 0; from < total && !giveUp; from += batchSize) {
      const batch = Array.from({ length: Math.min(batchSize, total - from) }, (_, index) => from + index);
      for (;;) {
        try {
          await Promise.all(batch.map((n) => publisher.publish(routingKey, { n }, messageIds[n] as string)));
          for (const n of batch) confirmed.add(n);
          break;
        } catch {
          if (giveUp) return;
          failedBatches++;
          await sleep(200);
        }
      }
    }
  })(broker);

  try {
    await waitFor('a fifth of the stream confirmed', () => confirmed.size >= total / 5);
    await killBroker();
    const confirmedAtCrash = confirmed.size;
    await startBroker();
    await waitFor('the whole stream confirmed', () => confirmed.size === total, 300_000);
    await waitFor(
      'every confirmed message consumed',
      () => [...confirmed].every((n) => consumer.received.has(n)),
      180_000,
    );
    const duplicates = consumer.duplicates();
    console.log(
      `crash after ${confirmedAtCrash} of ${total} confirmed; ${failedBatches} failed batch attempts; ` +
        `${consumer.received.size} distinct consumed, ${duplicates} duplicates (bound ${batchSize + prefetch})`,
    );
    assert.ok(failedBatches >= 1, 'the crash landed mid-stream: some publishes failed');
    assert.equal(await metricValue('dependency_outages_total', { dependency: 'rabbitmq' }), outagesBefore + 1);
    // Repeats: a batch unconfirmed at the crash is published again whole, and deliveries unacknowledged
    // at the crash (at most the prefetch) are delivered again. An inbox absorbs both.
    assert.ok(duplicates <= batchSize + prefetch, `${duplicates} duplicates`);
    assert.deepEqual(
      log.lines.filter((line) => line.level >= 40).map((line) => line.msg),
      ['rabbitmq unavailable'],
      'the crash is logged once, not once per retry',
    );
  } finally {
    giveUp = true;
    await publishing;
  }
});
