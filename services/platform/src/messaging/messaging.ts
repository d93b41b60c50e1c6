/**
 * A service's side of the saga: the broker (connection, publisher, consumers) and the outbox relay.
 *
 * Why our own reconnection code and not amqp-connection-manager (5.0.0, peer range `amqplib: *`, but
 * built and tested against amqplib 0.10, not our 2.3.1): it reconnects after a fixed delay
 * (`reconnectTimeInSeconds`), with no exponential back-off and no jitter; a channel the server closes
 * while the connection stays up is only dropped ("wait for another reconnect"), the very defect of
 * issue 12; and a publish while disconnected is queued in memory (until `publishTimeout`, if set),
 * where the outbox relay needs a fail-fast publish (the outbox is the queue, and survives a crash).
 * amqplib's own opt-in `recovery` recovers only the connection: channels, topology and consumers
 * would still be ours.
 * What we keep is small: broker-connection.ts, supervised-channel.ts, publisher.ts and consumer.ts.
 */
import type pg from 'pg';
import type { Logger } from 'pino';
import { Broker, type BrokerOptions } from './broker';
import type { ConsumerSpec } from './consumer';
import { OutboxRelay } from './outbox-relay';

export interface MessagingOptions extends BrokerOptions {
  amqpUrl: string;
  logger: Logger;
  /** The service's consumers (each with its own queue). */
  consumers?: ConsumerSpec[];
  /** The database whose outbox this service publishes, if it publishes events. */
  outbox?: pg.Pool;
}

export interface Messaging {
  broker: Broker;
  /** Readiness of the broker link: resolves while connected and able to publish. */
  check(): Promise<void>;
  /**
   * Liveness: a problem when a consumer (or the publisher) has had no usable channel for longer than
   * `livenessBoundMs` while connected; undefined otherwise, and always while the broker is away.
   */
  liveness(): string | undefined;
  /** Stops the relay, then the consumers (letting handlers under way finish), then the connection. */
  stop(): Promise<void>;
}

/**
 * Starts in the background, so a service comes up, and accepts work into its outbox, even while the
 * broker is unreachable; everything reconnects and resumes by itself.
 */
export async function startMessaging(options: MessagingOptions): Promise<Messaging> {
  const { amqpUrl, logger, consumers = [], outbox, ...brokerOptions } = options;
  const service = logger.bindings().service as string | undefined;
  const broker = new Broker(amqpUrl, logger, { connectionName: service, ...brokerOptions });
  for (const consumer of consumers) await broker.consume(consumer);
  void broker.start();
  const relay = outbox ? new OutboxRelay(outbox, broker, logger) : undefined;
  relay?.start();
  return {
    broker,
    check: () => broker.check(),
    liveness: () => broker.liveness(),
    async stop() {
      await relay?.stop();
      await broker.stop();
    },
  };
}
