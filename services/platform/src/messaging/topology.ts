/**
 * What the shop declares on RabbitMQ (DESIGN.md §3): the one topic exchange, and per consumer its
 * quorum queue, one delay queue per retry and a parking queue. Every declaration is idempotent, so a
 * channel runs them again each time it is (re)opened: a queue deleted under a consumer comes back
 * with the consumer.
 */
import type { Channel, Options } from 'amqplib';
import { retryDelaysMs } from './retry-policy';

/** The one exchange every event goes through. */
export const exchange = 'shop.events';

export const retryQueue = (queue: string, attempt: number) => `${queue}.retry.${attempt}`;
export const parkingQueue = (queue: string) => `${queue}.parked`;

export interface QueueDeclaration {
  queue: string;
  options: Options.AssertQueue;
}

/** Every queue a consumer of `queue` owns, in the order they are declared. */
export function consumerQueues(queue: string): QueueDeclaration[] {
  const quorum = { durable: true, arguments: { 'x-queue-type': 'quorum' } };
  return [
    { queue, options: quorum },
    // One delay queue per attempt: a message waits out its TTL there, then dead-letters back to the
    // consumer's queue. Fixed TTL per queue, so no message waits behind a longer one.
    ...retryDelaysMs.map((delayMs, index) => ({
      queue: retryQueue(queue, index + 1),
      options: {
        durable: true,
        arguments: { 'x-message-ttl': delayMs, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': queue },
      },
    })),
    { queue: parkingQueue(queue), options: quorum },
  ];
}

export async function declareExchange(channel: Channel): Promise<void> {
  await channel.assertExchange(exchange, 'topic', { durable: true });
}

/** Declares the exchange, the consumer's queues and the bindings of its main queue. */
export async function declareConsumerTopology(channel: Channel, queue: string, bindings: string[]): Promise<void> {
  await declareExchange(channel);
  for (const declaration of consumerQueues(queue)) await channel.assertQueue(declaration.queue, declaration.options);
  for (const key of bindings) await channel.bindQueue(queue, exchange, key);
}
