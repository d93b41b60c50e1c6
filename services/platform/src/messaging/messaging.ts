import type pg from 'pg';
import type { Logger } from 'pino';
import { Broker, type ConsumerSpec } from './broker';
import { OutboxRelay } from './outbox-relay';

export interface MessagingOptions {
  amqpUrl: string;
  logger: Logger;
  /** The service's consumers (each with its own queue). */
  consumers?: ConsumerSpec[];
  /** The database whose outbox this service publishes, if it publishes events. */
  outbox?: pg.Pool;
}

export interface Messaging {
  broker: Broker;
  /** Readiness: resolves while connected to the broker. */
  check(): Promise<void>;
  /** Stops the relay, then the consumers (letting handlers under way finish), then the connection. */
  stop(): Promise<void>;
}

/**
 * A service's side of the saga: one broker connection (reconnecting on its own), its consumers, and
 * the outbox relay when it publishes. Starts in the background, so a service comes up, and accepts
 * work into its outbox, even while the broker is unreachable.
 */
export async function startMessaging(options: MessagingOptions): Promise<Messaging> {
  const broker = new Broker(options.amqpUrl, options.logger);
  for (const consumer of options.consumers ?? []) await broker.consume(consumer);
  void broker.start();
  const relay = options.outbox ? new OutboxRelay(options.outbox, broker, options.logger) : undefined;
  relay?.start();
  return {
    broker,
    check: () => broker.check(),
    async stop() {
      await relay?.stop();
      await broker.stop();
    },
  };
}
