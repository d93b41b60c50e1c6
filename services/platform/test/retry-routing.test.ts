/**
 * A message that failed once comes back from its delay queue by dead-lettering, routed by the queue's
 * name: against the real RabbitMQ, the retried delivery must still carry the event's own routing key,
 * so a consumer bound to several events handles it as the event it is.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, test } from 'node:test';
import { AppError } from '../src/errors/app-error';
import { Broker } from '../src/messaging/broker';
import type { ConsumerSpec } from '../src/messaging/consumer';
import { amqpUrl, capturedLogger, deleteConsumerQueues, uniqueName, waitFor } from './broker-test-kit';

const queue = uniqueName('retry-routing');
const log = capturedLogger();
const broker = new Broker(amqpUrl, log.logger, { connectionName: uniqueName('connection') });
after(async () => {
  await broker.stop();
  await deleteConsumerQueues([queue]);
});

test('a retried message keeps its routing key (a confirmation retried is still a confirmation)', async () => {
  const seen: { routingKey: string; redelivered: boolean }[] = [];
  const confirmed = `${queue}.confirmed`;
  const cancelled = `${queue}.cancelled`;
  const spec: ConsumerSpec = {
    queue,
    bindings: [confirmed, cancelled],
    prefetch: 5,
    async handle(message) {
      seen.push({ routingKey: message.routingKey, redelivered: message.redelivered });
      // The first attempt meets a database that is down: a transient failure, retried after 1 s.
      if (seen.length === 1) throw AppError.dependencyUnavailable('postgres');
    },
  };
  await broker.consume(spec);
  await broker.start();
  await broker.publish(confirmed, { n: 1 }, randomUUID());
  await waitFor('the retried delivery', () => seen.length === 2, 30_000);
  assert.deepEqual(seen, [
    { routingKey: confirmed, redelivered: false },
    { routingKey: confirmed, redelivered: true },
  ]);
});
