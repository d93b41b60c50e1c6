import type { ConfirmChannel, Options } from 'amqplib';
import type { Logger } from 'pino';
import { publishedTotal } from '../metrics/messaging-metrics';
import type { BrokerConnection } from './broker-connection';
import { SupervisedChannel } from './supervised-channel';
import { declareExchange, exchange } from './topology';

/** Thrown at once by a publish while no channel is open: the caller (the outbox relay) keeps the event. */
export class BrokerUnavailableError extends Error {
  constructor() {
    super('broker unavailable');
    this.name = 'BrokerUnavailableError';
  }
}

/**
 * Publishes with publisher confirms on one confirm channel, reopened whenever it is lost. A publish
 * resolves only once the broker confirmed it, and fails instead of waiting: at once while there is no
 * channel, with the channel's error when it closes before the confirm (connection lost mid-publish or
 * mid-confirm), and after `confirmTimeoutMs` when a stalled or blocked link never answers. Nothing is
 * queued in memory: the outbox is the queue, and a failed publish is simply published again.
 */
export class Publisher {
  private readonly channel: SupervisedChannel<ConfirmChannel>;

  constructor(
    connection: BrokerConnection,
    logger: Logger,
    private readonly confirmTimeoutMs = 5_000,
  ) {
    this.channel = new SupervisedChannel<ConfirmChannel>(connection, logger, {
      role: 'publisher',
      open: (model) => model.createConfirmChannel(),
      setUp: declareExchange,
    });
  }

  get ready(): boolean {
    return this.channel.current !== undefined;
  }

  get unreadyForMs(): number {
    return this.channel.unreadyForMs;
  }

  whenReady(): Promise<void> {
    return this.channel.whenReady();
  }

  /** Publishes one persistent JSON event to the shop's exchange; resolves once the broker confirmed it. */
  async publish(routingKey: string, payload: unknown, messageId: string): Promise<void> {
    const body = Buffer.from(JSON.stringify(payload));
    const options = { persistent: true, messageId, contentType: 'application/json', timestamp: Date.now() };
    await this.confirmed((channel, done) => channel.publish(exchange, routingKey, body, options, done));
    publishedTotal.inc({ routing_key: routingKey });
  }

  /** Copies a message straight to a queue (a delay or parking queue); resolves once confirmed. */
  sendToQueue(queue: string, content: Buffer, options: Options.Publish): Promise<void> {
    return this.confirmed((channel, done) => channel.sendToQueue(queue, content, options, done));
  }

  close(): Promise<void> {
    return this.channel.close();
  }

  private confirmed(send: (channel: ConfirmChannel, done: (error: unknown) => void) => void): Promise<void> {
    const channel = this.channel.current;
    if (!channel) return Promise.reject(new BrokerUnavailableError());
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`publish not confirmed within ${this.confirmTimeoutMs} ms`)),
        this.confirmTimeoutMs,
      );
      const settle = (error: unknown) => {
        clearTimeout(timer);
        if (error) reject(error instanceof Error ? error : new Error(String(error)));
        else resolve();
      };
      try {
        send(channel, settle);
      } catch (error) {
        // amqplib throws at once on a channel that is closing or closed.
        settle(error);
      }
    });
  }
}
