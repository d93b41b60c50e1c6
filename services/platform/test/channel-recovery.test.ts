/**
 * Channels RabbitMQ closes (or whose consumer it cancels) while the connection stays up: provoked for
 * real, the consumer must come back by itself, on the same connection, and handle everything after.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import amqp, { type ConsumeMessage } from 'amqplib';
import { Broker } from '../src/messaging/broker';
import {
  amqpUrl,
  capturedLogger,
  countingConsumer,
  deleteConsumerQueues,
  metricValue,
  publishNumbers,
  uniqueName,
  waitFor,
  warnings,
} from './broker-test-kit';

const queues: string[] = [];
const brokers: Broker[] = [];

after(async () => {
  for (const broker of brokers) await broker.stop();
  await deleteConsumerQueues(queues);
});

async function startConsuming() {
  const queue = uniqueName('channel-recovery');
  const routingKey = `${queue}.numbered`;
  queues.push(queue);
  const log = capturedLogger();
  const consumer = countingConsumer(queue, routingKey);
  const broker = new Broker(amqpUrl, log.logger, { connectionName: uniqueName('connection') });
  brokers.push(broker);
  await broker.consume(consumer.spec);
  await broker.start();
  await publishNumbers(broker, routingKey, 0, 10);
  await waitFor('the first ten messages', () => consumer.received.size === 10);
  return { queue, routingKey, log, consumer, broker };
}

test('a consumer whose channel the broker closes (ack of an unknown delivery tag) comes back on the same connection and handles every later message', async () => {
  const { queue, routingKey, log, consumer, broker } = await startConsuming();
  const connection = broker.connection.current;
  const channel = broker.consumer(queue)?.currentChannel;
  assert.ok(channel, 'the consumer is subscribed');
  const lostBefore = await metricValue('messaging_channel_losses_total', { channel: queue });

  // RabbitMQ answers an ack of a tag it never delivered with PRECONDITION_FAILED and closes the channel.
  channel.ack({ fields: { deliveryTag: 999_999 } } as ConsumeMessage);
  await waitFor('the broker to close the channel', () => broker.consumer(queue)?.currentChannel !== channel);
  await publishNumbers(broker, routingKey, 10, 20); // while the consumer may still be away: they wait in its queue
  await waitFor('the consumer to subscribe again', () => broker.consumer(queue)?.currentChannel !== undefined);
  await publishNumbers(broker, routingKey, 20, 30);

  await waitFor('every message, those published after the loss included', () => consumer.received.size === 30);
  assert.equal(broker.connection.current, connection, 'the connection stayed up');
  assert.equal(await metricValue('messaging_channel_losses_total', { channel: queue }), lostBefore + 1);
  assert.equal(await metricValue('messaging_consumer_up', { queue }), 1);
  const lost = warnings(log).filter((line) => line.msg === `RabbitMQ channel for ${queue} lost`);
  assert.equal(lost.length, 1, 'the loss is logged once');
  assert.match(String(lost[0]?.err), /PRECONDITION_FAILED|unknown delivery tag/);
  assert.ok(log.lines.some((line) => line.msg === `RabbitMQ channel for ${queue} is back`));
  assert.equal(broker.liveness(), undefined);
});

test('a consumer whose queue is deleted under it (the broker cancels the consumer) declares it again and handles every later message', async () => {
  const { queue, routingKey, log, consumer, broker } = await startConsuming();
  const lostBefore = await metricValue('messaging_channel_losses_total', { channel: queue });

  const admin = await amqp.connect(amqpUrl);
  try {
    const channel = await admin.createChannel();
    await channel.deleteQueue(queue);
    // The consumer is back once its queue exists again with a consumer on it.
    await waitFor('the queue declared again, with its consumer', async () => {
      if ((await metricValue('messaging_channel_losses_total', { channel: queue })) === lostBefore) return false;
      const probe = await admin.createChannel();
      probe.on('error', () => {});
      const status = await probe.checkQueue(queue).catch(() => undefined);
      await probe.close().catch(() => {});
      return (status?.consumerCount ?? 0) > 0;
    });
  } finally {
    await admin.close();
  }

  await publishNumbers(broker, routingKey, 10, 30);
  await waitFor('every message published after the deletion', () => consumer.received.size === 30);
  assert.equal(await metricValue('messaging_channel_losses_total', { channel: queue }), lostBefore + 1);
  const lost = warnings(log).filter((line) => line.msg === `RabbitMQ channel for ${queue} lost`);
  assert.equal(lost.length, 1, 'the cancel is logged once');
  assert.match(String(lost[0]?.err), /cancelled/);
  assert.equal(consumer.duplicates(), 0);
});
