import type { Logger } from 'pino';
import { BrokerConnection, type BrokerConnectionOptions } from './broker-connection';
import { Consumer, type ConsumerSpec } from './consumer';
import { livenessProblem } from './liveness-check';
import { Publisher } from './publisher';

export interface BrokerOptions extends BrokerConnectionOptions {
  /** Liveness fails when a channel stays unusable this long while connected (default 60 s). */
  livenessBoundMs?: number;
  /** A publish the broker has not confirmed within this long fails (default 5 s). */
  confirmTimeoutMs?: number;
}

/**
 * A process's side of RabbitMQ: one connection kept open (broker-connection.ts), one confirm channel
 * for publishing (publisher.ts) and one channel per consumer (consumer.ts), each of which comes back
 * by itself after any loss. Messages are persistent and queues durable, so a broker restart loses
 * nothing that was confirmed.
 */
export class Broker {
  readonly connection: BrokerConnection;
  private readonly publisher: Publisher;
  private readonly consumers = new Map<string, Consumer>();
  private stopped = false;

  constructor(
    url: string,
    private readonly logger: Logger,
    private readonly options: BrokerOptions = {},
  ) {
    this.connection = new BrokerConnection(url, logger, options);
    this.publisher = new Publisher(this.connection, logger, options.confirmTimeoutMs);
  }

  /** Connects (retrying in the background); resolves once publishing and every consumer work, or on stop(). */
  async start(): Promise<void> {
    this.connection.start();
    await Promise.all([this.whenReady(), ...[...this.consumers.values()].map((c) => c.whenSubscribed())]);
  }

  /** Resolves once a publish can be attempted (or once stopped). */
  whenReady(): Promise<void> {
    return this.publisher.whenReady();
  }

  /** True while a publish can be attempted (a confirm channel is open). */
  get ready(): boolean {
    return this.publisher.ready;
  }

  /** Publishes one persistent message and resolves once the broker has confirmed it; fails fast while disconnected. */
  publish(routingKey: string, payload: unknown, messageId: string): Promise<void> {
    return this.publisher.publish(routingKey, payload, messageId);
  }

  /** Declares the consumer's queue and delivers from it, now if connected and again after every loss. */
  async consume(spec: ConsumerSpec): Promise<void> {
    if (this.consumers.has(spec.queue)) throw new Error(`a consumer of ${spec.queue} is already registered`);
    this.consumers.set(spec.queue, new Consumer(spec, this.connection, this.publisher, this.logger));
  }

  /** The consumer of a queue (for diagnostics and tests). */
  consumer(queue: string): Consumer | undefined {
    return this.consumers.get(queue);
  }

  /** Readiness: resolves while connected and able to publish. */
  async check(): Promise<void> {
    if (!this.publisher.ready) {
      const reason = this.connection.state.reason;
      throw new Error(reason ? `not connected to RabbitMQ: ${reason}` : 'not connected to RabbitMQ');
    }
  }

  /** Liveness: a problem when a channel stays unusable while connected (see liveness-check.ts), else undefined. */
  liveness(): string | undefined {
    if (this.stopped) return undefined;
    const channels = [
      { role: 'publisher', idleForMs: this.publisher.unreadyForMs },
      ...[...this.consumers.values()].map((consumer) => ({ role: consumer.spec.queue, idleForMs: consumer.idleForMs })),
    ];
    return livenessProblem(this.connection.openForMs, channels, this.options.livenessBoundMs ?? 60_000);
  }

  /**
   * Stops consuming, lets the handlers under way commit and acknowledge (up to `graceMs`; they may still
   * send failed messages to a delay queue meanwhile), then closes. Whatever is cut off is redelivered.
   */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.consumers.values()].map((consumer) => consumer.stop(graceMs)));
    await this.publisher.close();
    await this.connection.close();
  }
}
