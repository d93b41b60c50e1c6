import { setTimeout as sleep } from 'node:timers/promises';
import amqp, { type Channel, type ChannelModel, type ConfirmChannel, type ConsumeMessage } from 'amqplib';
import type { Logger } from 'pino';

/** The one exchange every event goes through (DESIGN.md §3). */
export const exchange = 'shop.events';

export interface IncomingMessage {
  routingKey: string;
  messageId: string;
  payload: unknown;
  redelivered: boolean;
}

export interface ConsumerSpec {
  /** Durable quorum queue owned by the consuming service, e.g. `notifications.order-created`. */
  queue: string;
  /** Routing keys bound to the queue. */
  bindings: string[];
  /** Unacknowledged messages in flight at once. */
  prefetch: number;
  /** Must commit its work before resolving: the message is acknowledged only then. */
  handle(message: IncomingMessage): Promise<void>;
}

/**
 * A connection to RabbitMQ that survives the broker going away: publishes wait for the broker's
 * confirm (or fail fast while it is unreachable), and consumers are re-registered after every
 * reconnect. Messages are persistent and queues durable, so a broker restart loses nothing.
 */
export class Broker {
  private model: ChannelModel | undefined;
  private publishChannel: ConfirmChannel | undefined;
  private consumeChannels: Channel[] = [];
  private readonly consumers: ConsumerSpec[] = [];
  private closing = false;
  private connecting: Promise<void> | undefined;

  constructor(
    private readonly url: string,
    private readonly logger: Logger,
    private readonly retryDelayMs = 1_000,
  ) {}

  /** Connects, retrying until the broker answers or `stop()` is called. */
  async start(): Promise<void> {
    await this.ensureConnected();
  }

  /** Publishes one persistent message and resolves once the broker has confirmed it. */
  async publish(routingKey: string, payload: unknown, messageId: string): Promise<void> {
    const channel = this.publishChannel;
    if (!channel) throw new Error('broker unavailable');
    const body = Buffer.from(JSON.stringify(payload));
    await new Promise<void>((resolve, reject) => {
      // A broker that accepts the bytes but never confirms (a stalled link) must not stall the caller.
      const timer = setTimeout(() => reject(new Error('publish not confirmed within 5s')), 5_000);
      channel.publish(
        exchange,
        routingKey,
        body,
        { persistent: true, messageId, contentType: 'application/json', timestamp: Date.now() },
        (error) => {
          clearTimeout(timer);
          if (error) reject(error);
          else resolve();
        },
      );
    });
  }

  /** Declares the consumer's queue and starts delivering to it (again after every reconnect). */
  async consume(spec: ConsumerSpec): Promise<void> {
    this.consumers.push(spec);
    if (this.model) await this.startConsumer(this.model, spec);
  }

  /** Readiness: resolves while connected. */
  async check(): Promise<void> {
    if (!this.publishChannel) throw new Error('not connected to RabbitMQ');
  }

  async stop(): Promise<void> {
    this.closing = true;
    for (const channel of this.consumeChannels) await channel.close().catch(() => {});
    await this.model?.close().catch(() => {});
  }

  private ensureConnected(): Promise<void> {
    this.connecting ??= this.connectLoop().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async connectLoop(): Promise<void> {
    while (!this.closing) {
      try {
        await this.connect();
        return;
      } catch (error) {
        this.logger.warn({ err: (error as Error).message }, 'RabbitMQ unreachable, retrying');
        await sleep(this.retryDelayMs);
      }
    }
  }

  private async connect(): Promise<void> {
    const model = await amqp.connect(this.url, { timeout: 3_000 });
    model.on('error', (error: Error) => this.logger.warn({ err: error.message }, 'RabbitMQ connection error'));
    model.on('close', () => {
      this.model = undefined;
      this.publishChannel = undefined;
      this.consumeChannels = [];
      if (!this.closing) {
        this.logger.warn('RabbitMQ connection closed, reconnecting');
        void this.ensureConnected();
      }
    });
    const publishChannel = await model.createConfirmChannel();
    publishChannel.on('error', () => {});
    await publishChannel.assertExchange(exchange, 'topic', { durable: true });
    this.model = model;
    this.publishChannel = publishChannel;
    for (const spec of this.consumers) await this.startConsumer(model, spec);
    this.logger.info('connected to RabbitMQ');
  }

  private async startConsumer(model: ChannelModel, spec: ConsumerSpec): Promise<void> {
    const channel = await model.createChannel();
    channel.on('error', () => {});
    this.consumeChannels.push(channel);
    await channel.assertExchange(exchange, 'topic', { durable: true });
    await channel.assertQueue(spec.queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    for (const key of spec.bindings) await channel.bindQueue(spec.queue, exchange, key);
    await channel.prefetch(spec.prefetch);
    await channel.consume(spec.queue, (message) => {
      if (message) void this.deliver(channel, spec, message);
    });
  }

  private async deliver(channel: Channel, spec: ConsumerSpec, message: ConsumeMessage): Promise<void> {
    try {
      const payload: unknown = JSON.parse(message.content.toString('utf8'));
      await spec.handle({
        routingKey: message.fields.routingKey,
        messageId: String(message.properties.messageId ?? ''),
        payload,
        redelivered: message.fields.redelivered,
      });
      channel.ack(message);
    } catch (error) {
      this.logger.error({ err: error, queue: spec.queue }, 'message handling failed; requeued');
      // Requeue after a pause so a failing dependency is not hammered in a tight loop.
      await sleep(this.retryDelayMs);
      try {
        channel.nack(message, false, true);
      } catch {
        // The channel is gone; the broker redelivers the unacknowledged message anyway.
      }
    }
  }
}
