/**
 * What the messaging component tests share: the real RabbitMQ of the local stack, test-unique queues
 * (deleted afterwards), a consumer that records the numbered messages it gets, a logger whose lines
 * the test reads, and polling with generous deadlines (the machine may be slow).
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import amqp from 'amqplib';
import pino, { type Logger } from 'pino';
import type { Broker } from '../src/messaging/broker';
import type { ConsumerSpec } from '../src/messaging/consumer';
import { consumerQueues } from '../src/messaging/topology';
import { registry } from '../src/metrics/registry';

export const amqpUrl = 'amqp://confeitaria:confeitaria@127.0.0.1:15673';

/** A name no other test (or earlier run) uses, e.g. for a queue, a routing key or a connection. */
export const uniqueName = (purpose: string) => `test.${purpose}.${randomUUID().slice(0, 8)}`;

export interface CapturedLog {
  logger: Logger;
  /** Every line written so far, parsed. */
  lines: { level: number; msg: string; [field: string]: unknown }[];
}

/** A pino logger writing to memory, so a test can count what a component logged. */
export function capturedLogger(level = 'info'): CapturedLog {
  const lines: CapturedLog['lines'] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level }, stream), lines };
}

/** Polls `condition` until it holds; fails naming `what` after `timeoutMs`. */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

/** A consumer of numbered messages (`{ n }`) that counts how often it got each number. */
export function countingConsumer(queue: string, routingKey: string, prefetch = 20) {
  const received = new Map<number, number>();
  const spec: ConsumerSpec = {
    queue,
    bindings: [routingKey],
    prefetch,
    async handle(message) {
      const { n } = message.payload as { n: number };
      received.set(n, (received.get(n) ?? 0) + 1);
    },
  };
  const duplicates = () => [...received.values()].reduce((sum, count) => sum + count - 1, 0);
  return { spec, received, duplicates };
}

/** Publishes `{ n }` for every n in [from, to), one confirmed publish after the other. */
export async function publishNumbers(broker: Broker, routingKey: string, from: number, to: number): Promise<void> {
  for (let n = from; n < to; n++) await broker.publish(routingKey, { n }, randomUUID());
}

/** Deletes a consumer's queue with its delay and parking queues (they outlive a test otherwise). */
export async function deleteConsumerQueues(queues: string[]): Promise<void> {
  const model = await amqp.connect(amqpUrl);
  try {
    const channel = await model.createChannel();
    for (const queue of queues)
      for (const declaration of consumerQueues(queue)) await channel.deleteQueue(declaration.queue);
  } finally {
    await model.close().catch(() => {});
  }
}

/** The current value of one series of a counter or gauge in the platform's registry (0 if absent). */
export async function metricValue(name: string, labels: Record<string, string>): Promise<number> {
  const metric = registry.getSingleMetric(name);
  const values = (await metric?.get())?.values ?? [];
  const series = values.find((value) => Object.entries(labels).every(([key, label]) => value.labels[key] === label));
  return series?.value ?? 0;
}

/** Log lines at warn level or above (pino: warn 40, error 50, fatal 60). */
export const warnings = (log: CapturedLog) => log.lines.filter((line) => line.level >= 40);
