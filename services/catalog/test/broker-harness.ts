/**
 * Talks to the running RabbitMQ the way the other services do: publishes saga events to
 * `shop.events` and listens to what the catalog announces, on a temporary queue of the test's own.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import amqp, { type ChannelModel, type ConfirmChannel } from 'amqplib';
import { amqpUrl } from './catalog-harness';

const exchange = 'shop.events';

export interface ObservedEvent {
  routingKey: string;
  messageId: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read payload fields freely
  payload: any;
}

export class TestBroker {
  private constructor(
    private readonly model: ChannelModel,
    private readonly channel: ConfirmChannel,
    readonly events: ObservedEvent[],
  ) {}

  /** Connects and starts recording every event whose routing key matches `observe` (e.g. `stock.*`). */
  static async open(observe: string): Promise<TestBroker> {
    const model = await amqp.connect(amqpUrl);
    const channel = await model.createConfirmChannel();
    await channel.assertExchange(exchange, 'topic', { durable: true });
    const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
    await channel.bindQueue(queue, exchange, observe);
    const events: ObservedEvent[] = [];
    await channel.consume(
      queue,
      (message) => {
        if (!message) return;
        events.push({
          routingKey: message.fields.routingKey,
          messageId: String(message.properties.messageId),
          payload: JSON.parse(message.content.toString('utf8')),
        });
      },
      { noAck: true },
    );
    return new TestBroker(model, channel, events);
  }

  async publish(routingKey: string, payload: unknown, messageId: string = randomUUID()): Promise<string> {
    this.channel.publish(exchange, routingKey, Buffer.from(JSON.stringify(payload)), {
      persistent: true,
      messageId,
      contentType: 'application/json',
    });
    await this.channel.waitForConfirms();
    return messageId;
  }

  /** The events seen so far about one order. */
  eventsFor(orderId: string): ObservedEvent[] {
    return this.events.filter((event) => event.payload?.orderId === orderId);
  }

  /** Waits until some consumer listens on each queue, so a message published next is not left waiting. */
  async waitForConsumers(queues: string[], timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (const queue of queues) {
      for (;;) {
        // checkQueue closes the channel when the queue does not exist yet: use a throwaway one.
        const probe = await this.model.createChannel();
        probe.on('error', () => {});
        const consumers = await probe.checkQueue(queue).then(
          (status) => status.consumerCount,
          () => 0,
        );
        await probe.close().catch(() => {});
        if (consumers > 0) break;
        if (Date.now() > deadline) throw new Error(`no consumer on ${queue} within ${timeoutMs} ms`);
        await sleep(100);
      }
    }
  }

  async close(): Promise<void> {
    await this.model.close().catch(() => {});
  }
}

/** An `order.created` payload as the orders service publishes it. */
export function orderCreated(lines: { productId: number; quantity: number; unitPriceCents?: number }[]) {
  const items = lines.map((line) => ({ ...line, unitPriceCents: line.unitPriceCents ?? 1_250 }));
  return {
    orderId: randomUUID(),
    userId: randomUUID(),
    items,
    totalCents: items.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0),
    paymentToken: 'tok_visa',
    createdAt: new Date().toISOString(),
  };
}
