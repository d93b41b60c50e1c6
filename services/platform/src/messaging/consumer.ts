import { setTimeout as sleep } from 'node:timers/promises';
import type { Channel, ConsumeMessage } from 'amqplib';
import type { Logger } from 'pino';
import { consumeDuration, consumerUp, parkedTotal, retriesTotal } from '../metrics/messaging-metrics';
import type { BrokerConnection } from './broker-connection';
import type { Publisher } from './publisher';
import { retryDecision } from './retry-policy';
import { SupervisedChannel } from './supervised-channel';
import { declareConsumerTopology, parkingQueue, retryQueue } from './topology';

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
 * One consumer: its own channel, which declares the queue's topology and subscribes again whenever it
 * is lost (with the connection, closed by the broker, or cancelled by it when the queue is deleted).
 *
 * A message is acknowledged only after its handler resolved (which commits its work). A handler that
 * throws sends the message through delay queues (`<queue>.retry.<n>`) and, after its attempts, to the
 * parking queue `<queue>.parked`, counted in metrics, as `retryDecision` says. An ack or nack on a
 * channel that died meanwhile is dropped: the broker redelivers the message and the inbox absorbs it.
 */
export class Consumer {
  private readonly channel: SupervisedChannel<Channel>;
  private consumerTag: string | undefined;
  /** Deliveries whose handler is still running; stop() lets them finish before closing. */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    readonly spec: ConsumerSpec,
    connection: BrokerConnection,
    private readonly publisher: Publisher,
    private readonly logger: Logger,
    private readonly requeuePauseMs = 1_000,
  ) {
    // The series exist (at 0) from the start, so dashboards and alerts see a value, not an absence.
    retriesTotal.inc({ queue: spec.queue }, 0);
    parkedTotal.inc({ queue: spec.queue }, 0);
    consumerUp.set({ queue: spec.queue }, 0);
    this.channel = new SupervisedChannel(connection, logger, {
      role: spec.queue,
      open: (model) => model.createChannel(),
      setUp: (channel) => this.subscribe(channel),
      onReadyChange: (ready) => consumerUp.set({ queue: spec.queue }, ready ? 1 : 0),
    });
  }

  /** The channel deliveries arrive on while subscribed (for diagnostics and tests). */
  get currentChannel(): Channel | undefined {
    return this.channel.current;
  }

  /** How long it has not been subscribed; 0 while it is. */
  get idleForMs(): number {
    return this.channel.unreadyForMs;
  }

  whenSubscribed(): Promise<void> {
    return this.channel.whenReady();
  }

  /** Stops receiving, lets the handlers under way finish (up to `graceMs`), then closes the channel. */
  stop(graceMs: number): Promise<void> {
    return this.channel.close(async (channel) => {
      // Handlers under way finish even when their channel is gone: their work commits, the message
      // comes again, and the inbox absorbs it.
      if (channel && this.consumerTag) await channel.cancel(this.consumerTag).catch(() => {});
      await Promise.race([Promise.allSettled([...this.inFlight]), sleep(graceMs, undefined, { ref: false })]);
    });
  }

  private async subscribe(channel: Channel): Promise<void> {
    await declareConsumerTopology(channel, this.spec.queue, this.spec.bindings);
    await channel.prefetch(this.spec.prefetch);
    const { consumerTag } = await channel.consume(this.spec.queue, (message) => {
      // amqplib's way of passing on the broker's basic.cancel (the queue was deleted, say).
      if (!message) {
        this.channel.refresh('consumer cancelled by RabbitMQ');
        return;
      }
      const delivery = this.deliver(channel, message);
      this.inFlight.add(delivery);
      void delivery.finally(() => this.inFlight.delete(delivery));
    });
    this.consumerTag = consumerTag;
  }

  private async deliver(channel: Channel, message: ConsumeMessage): Promise<void> {
    const { queue } = this.spec;
    const started = process.hrtime.bigint();
    const attempt = Number(message.properties.headers?.['x-attempt'] ?? 1);
    const routingKey = originalRoutingKey(message);
    let outcome: 'acked' | 'retried' | 'parked' = 'acked';
    try {
      const payload: unknown = JSON.parse(message.content.toString('utf8'));
      await this.spec.handle({
        routingKey,
        messageId: String(message.properties.messageId ?? ''),
        payload,
        redelivered: message.fields.redelivered || attempt > 1,
      });
      this.settle(channel, message, 'ack');
    } catch (error) {
      const decision = retryDecision(error, attempt);
      outcome = decision.outcome;
      const target = outcome === 'parked' ? parkingQueue(queue) : retryQueue(queue, decision.delayQueue);
      this.logger[outcome === 'parked' ? 'error' : 'warn'](
        { err: (error as Error).message, queue, attempt, to: target },
        `message handling failed; ${outcome}`,
      );
      try {
        const headers = {
          ...message.properties.headers,
          'x-attempt': decision.nextAttempt,
          [routingKeyHeader]: routingKey,
          'x-last-error': (error as Error).message.slice(0, 500),
        };
        await this.publisher.sendToQueue(target, message.content, { ...message.properties, headers, persistent: true });
        this.settle(channel, message, 'ack');
        (outcome === 'parked' ? parkedTotal : retriesTotal).inc({ queue });
      } catch {
        // The broker is unreachable: leave the message to be redelivered, after a pause (no hot loop).
        await sleep(this.requeuePauseMs);
        this.settle(channel, message, 'requeue');
      }
    } finally {
      consumeDuration.observe({ queue, outcome }, Number(process.hrtime.bigint() - started) / 1e9);
    }
  }

  /** Acks or requeues on the channel the message came on; a dead channel drops it (the broker redelivers). */
  private settle(channel: Channel, message: ConsumeMessage, action: 'ack' | 'requeue'): void {
    try {
      if (action === 'ack') channel.ack(message);
      else channel.nack(message, false, true);
    } catch (error) {
      this.logger.debug({ queue: this.spec.queue, err: (error as Error).message }, `${action} dropped: channel gone`);
    }
  }
}

/**
 * A retried message comes back from its delay queue by dead-lettering, routed by the queue's name, not
 * by the event's: the event's own routing key travels in this header, or a consumer bound to several
 * events (notifications: order.confirmed and order.cancelled) reads a retried confirmation as a
 * cancellation. Found by the database-crash scenario: the first crash that made such a consumer retry.
 */
export const routingKeyHeader = 'x-routing-key';

export function originalRoutingKey(message: Pick<ConsumeMessage, 'fields' | 'properties'>): string {
  const recorded = message.properties.headers?.[routingKeyHeader];
  return typeof recorded === 'string' && recorded ? recorded : message.fields.routingKey;
}
