/**
 * A connection RabbitMQ closes (`rabbitmqctl close_connection`), and one whose peer goes silent
 * without a FIN (a Toxiproxy `timeout` toxic holds every byte): the outage is logged once, publishes
 * fail instead of hanging, and consumers and publisher come back by themselves.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
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
import { connectionPid, rabbitmqctl } from './rabbitmq-process';

const toxiproxy = 'http://127.0.0.1:18474';
const queues: string[] = [];
const brokers: Broker[] = [];
const proxies: string[] = [];

after(async () => {
  for (const broker of brokers) await broker.stop();
  for (const proxy of proxies) await fetch(`${toxiproxy}/proxies/${proxy}`, { method: 'DELETE' });
  await deleteConsumerQueues(queues);
});

async function startConsuming(url: string) {
  const queue = uniqueName('connection-recovery');
  const routingKey = `${queue}.numbered`;
  queues.push(queue);
  const log = capturedLogger();
  const consumer = countingConsumer(queue, routingKey);
  const connectionName = uniqueName('connection');
  const broker = new Broker(url, log.logger, { connectionName });
  brokers.push(broker);
  await broker.consume(consumer.spec);
  await broker.start();
  await publishNumbers(broker, routingKey, 0, 10);
  await waitFor('the first ten messages', () => consumer.received.size === 10);
  return { queue, routingKey, log, consumer, broker, connectionName };
}

const outages = () => metricValue('dependency_outages_total', { dependency: 'rabbitmq' });

test('after rabbitmqctl close_connection, the consumer and the publisher come back by themselves; the outage is logged once', async () => {
  const { queue, routingKey, log, consumer, broker, connectionName } = await startConsuming(amqpUrl);
  const before = broker.connection.current;
  const outagesBefore = await outages();

  await rabbitmqctl(['close_connection', await connectionPid(connectionName), 'closed by a test on purpose']);
  await waitFor('a new connection', () => ![before, undefined].includes(broker.connection.current));
  await waitFor(
    'publisher and consumer back',
    () => broker.ready && broker.consumer(queue)?.currentChannel !== undefined,
  );
  await publishNumbers(broker, routingKey, 10, 30);

  await waitFor('every message published after the close', () => consumer.received.size === 30);
  assert.equal(await outages(), outagesBefore + 1);
  assert.equal(await metricValue('dependency_up', { dependency: 'rabbitmq' }), 1);
  const lost = warnings(log);
  assert.deepEqual(
    lost.map((line) => line.msg),
    ['rabbitmq unavailable'],
    'one warning for the whole outage, none per channel',
  );
  assert.match(String(lost[0]?.err), /CONNECTION_FORCED|closed by a test/);
  assert.ok(log.lines.some((line) => /^rabbitmq available again after \d+ ms$/.test(line.msg)));
});

test('a broker gone silent without closing the link (half-open) is noticed by heartbeats; a publish meanwhile fails instead of hanging', async () => {
  const proxy = uniqueName('half-open').replaceAll('.', '-');
  const created = await fetch(`${toxiproxy}/proxies`, {
    method: 'POST',
    body: JSON.stringify({ name: proxy, listen: '127.0.0.1:0', upstream: '127.0.0.1:15673' }),
  });
  assert.equal(created.status, 201, await created.clone().text());
  proxies.push(proxy);
  const { listen } = (await created.json()) as { listen: string };
  const { queue, routingKey, log, consumer, broker } = await startConsuming(`amqp://confeitaria:confeitaria@${listen}`);

  // Every byte from the broker is held from now on, and nothing closes: to this client, a peer that
  // vanished. (The broker still hears the client, so only the client's heartbeat can notice.)
  const toxic = await fetch(`${toxiproxy}/proxies/${proxy}/toxics`, {
    method: 'POST',
    body: JSON.stringify({ name: 'silent', type: 'timeout', stream: 'downstream', attributes: { timeout: 0 } }),
  });
  assert.equal(toxic.status, 200, await toxic.text());
  const silencedAt = Date.now();
  await assert.rejects(broker.publish(routingKey, { n: -1 }, 'b6f0b5a4-6a3c-4f55-8d55-000000000001'));
  await waitFor('the heartbeat to declare the connection dead', () => !broker.connection.state.isUp, 90_000);
  const noticedAfterMs = Date.now() - silencedAt;
  assert.equal(broker.liveness(), undefined, 'a broker outage is not a liveness problem');
  await assert.rejects(broker.publish(routingKey, { n: -2 }, 'b6f0b5a4-6a3c-4f55-8d55-000000000002'), {
    message: 'broker unavailable',
  });

  await fetch(`${toxiproxy}/proxies/${proxy}/toxics/silent`, { method: 'DELETE' });
  await waitFor(
    'publisher and consumer back',
    () => broker.ready && broker.consumer(queue)?.currentChannel !== undefined,
  );
  await publishNumbers(broker, routingKey, 10, 30);
  // The publish that failed while the link was silent may still arrive (its bytes were only held).
  const everyNumber = Array.from({ length: 30 }, (_, n) => n);
  await waitFor('every message published after the link came back', () =>
    everyNumber.every((n) => consumer.received.has(n)),
  );
  assert.deepEqual(
    warnings(log).map((line) => [line.msg, line.err]),
    [['rabbitmq unavailable', 'Heartbeat timeout']],
  );
  console.log(`half-open link noticed after ${noticedAfterMs} ms (heartbeat 5 s)`);
});
