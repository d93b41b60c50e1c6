import { setTimeout as sleep } from 'node:timers/promises';
import amqp, { type Channel, type ChannelModel, type ConfirmChannel, type ConsumeMessage } from 'amqplib';
import type { Logger } from 'pino';
import { consumeDuration, parkedTotal, publishedTotal, retriesTotal } from '../metrics/messaging-metrics';
import { retryDecision, retryDelaysMs } from './retry-policy';

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
 *
 * Consumers acknowledge only after their handler resolved (which commits its work). A handler that
 * throws sends the message through delay queues (`<queue>.retry.<n>`, back-off in `retryDelaysMs`)
 * and, after `maxAttempts`, to the parking queue `<queue>.parked`, counted in metrics — unless it failed
 * because a dependency is unavailable (`isTransient`): those wait out the outage in the last delay queue.
 */
export class Broker {
  private model: ChannelModel | undefined;
  private publishChannel: ConfirmChannel | undefined;
  private consumeChannels: { channel: Channel; consumerTag: string }[] = [];
  /** Deliveries whose handler is still running; stop() lets them finish before closing. */
  private readonly inFlight = new Set<Promise<void>>();
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
    publishedTotal.inc({ routing_key: routingKey });
  }

  /** Declares the consumer's queue and starts delivering to it (again after every reconnect). */
  async consume(spec: ConsumerSpec): Promise<void> {
    this.consumers.push(spec);
    // The series exist (at 0) from the start, so dashboards and alerts see a value, not an absence.
    retriesTotal.inc({ queue: spec.queue }, 0);
    parkedTotal.inc({ queue: spec.queue }, 0);
    if (this.model) await this.startConsumer(this.model, spec);
  }

  /** Readiness: resolves while connected. */
  async check(): Promise<void> {
    if (!this.publishChannel) throw new Error('not connected to RabbitMQ');
  }

  /**
   * Stops consuming, lets the handlers under way commit and acknowledge (up to `graceMs`), then
   * closes. Whatever is cut off is redelivered later, and the inbox absorbs it.
   */
  async stop(graceMs = 10_000): Promise<void> {
    this.closing = true;
    // A connection still being opened would otherwise come up after the close and keep the process alive.
    await this.connecting;
    for (const { channel, consumerTag } of this.consumeChannels) await channel.cancel(consumerTag).catch(() => {});
    await Promise.race([Promise.allSettled([...this.inFlight]), sleep(graceMs)]);
    for (const { channel } of this.consumeChannels) await channel.close().catch(() => {});
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
    if (this.closing) {
      // stop() ran while this connection was being opened: it must not outlive the stop.
      await model.close().catch(() => {});
      return;
    }
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
    await channel.assertExchange(exchange, 'topic', { durable: true });
    await channel.assertQueue(spec.queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    for (const key of spec.bindings) await channel.bindQueue(spec.queue, exchange, key);
    // One delay queue per attempt: a message waits out its TTL there, then dead-letters back to the
    // consumer's queue. Fixed TTL per queue, so no message waits behind a longer one.
    for (const [index, delayMs] of retryDelaysMs.entries()) {
      await channel.assertQueue(retryQueue(spec.queue, index + 1), {
        durable: true,
        arguments: { 'x-message-ttl': delayMs, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': spec.queue },
      });
    }
    await channel.assertQueue(parkingQueue(spec.queue), { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    await channel.prefetch(spec.prefetch);
    const { consumerTag } = await channel.consume(spec.queue, (message) => {
      if (!message) return;
      const delivery = this.deliver(channel, spec, message);
      this.inFlight.add(delivery);
      void delivery.finally(() => this.inFlight.delete(delivery));
    });
    this.consumeChannels.push({ channel, consumerTag });
  }

  private async deliver(channel: Channel, spec: ConsumerSpec, message: ConsumeMessage): Promise<void> {
    const started = process.hrtime.bigint();
    const attempt = Number(message.properties.headers?.['x-attempt'] ?? 1);
    let outcome: 'acked' | 'retried' | 'parked' = 'acked';
    try {
      const payload: unknown = JSON.parse(message.content.toString('utf8'));
      await spec.handle({
        routingKey: message.fields.routingKey,
        messageId: String(message.properties.messageId ?? ''),
        payload,
        redelivered: message.fields.redelivered || attempt > 1,
      });
      channel.ack(message);
    } catch (error) {
      const decision = retryDecision(error, attempt);
      outcome = decision.outcome;
      const target = outcome === 'parked' ? parkingQueue(spec.queue) : retryQueue(spec.queue, decision.delayQueue);
      this.logger[outcome === 'parked' ? 'error' : 'warn'](
        { err: (error as Error).message, queue: spec.queue, attempt, to: target },
        `message handling failed; ${outcome}`,
      );
      try {
        await this.sendToQueue(target, message, decision.nextAttempt, (error as Error).message);
        channel.ack(message);
        (outcome === 'parked' ? parkedTotal : retriesTotal).inc({ queue: spec.queue });
      } catch {
        // The broker is unreachable: leave the message to be redelivered, after a pause.
        await sleep(this.retryDelayMs);
        try {
          channel.nack(message, false, true);
        } catch {
          // The channel is gone; the broker redelivers the unacknowledged message anyway.
        }
      }
    } finally {
      consumeDuration.observe({ queue: spec.queue, outcome }, Number(process.hrtime.bigint() - started) / 1e9);
    }
  }

  /** Copies a delivered message to a queue (delay or parking) and waits for the broker's confirm. */
  private async sendToQueue(queue: string, message: ConsumeMessage, attempt: number, lastError: string): Promise<void> {
    const channel = this.publishChannel;
    if (!channel) throw new Error('broker unavailable');
    const headers = { ...message.properties.headers, 'x-attempt': attempt, 'x-last-error': lastError.slice(0, 500) };
    await new Promise<void>((resolve, reject) => {
      channel.sendToQueue(queue, message.content, { ...message.properties, headers, persistent: true }, (error) =>
        error ? reject(error) : resolve(),
      );
    });
  }
}

export const retryQueue = (queue: string, attempt: number) => `${queue}.retry.${attempt}`;
export const parkingQueue = (queue: string) => `${queue}.parked`;
