import { setTimeout as sleep } from 'node:timers/promises';
import amqp, { type ChannelModel } from 'amqplib';
import type { Logger } from 'pino';
import type { BackoffOptions } from '../dependencies/backoff';
import { DependencyState } from '../dependencies/dependency-state';
import { BackoffSchedule } from './backoff-schedule';

export interface BrokerConnectionOptions {
  /** Shown by `rabbitmqctl list_connections` as the client property `connection_name`. */
  connectionName?: string;
  /** AMQP heartbeat: a peer gone without a FIN (a half-open link) is noticed after two to three of these. */
  heartbeatSeconds?: number;
  /** Delay before each reconnect attempt: capped exponential with jitter. */
  reconnectBackoff?: BackoffOptions;
  /** Bound on opening the socket and the AMQP handshake. */
  connectTimeoutMs?: number;
}

/**
 * The one AMQP connection of a process, kept open for as long as it runs: when it is lost (broker
 * crash or restart, `rabbitmqctl close_connection`, a reset, missed heartbeats) it is opened again
 * after a capped exponential back-off with jitter, and every `onConnected` listener runs again on the
 * new connection, which is how channels, topology and consumers come back. The outage is logged once,
 * and exported, by a `DependencyState` named `rabbitmq`; every 'error' amqplib emits has a listener,
 * so no broker failure can end the process.
 */
export class BrokerConnection {
  readonly state: DependencyState;
  private model: ChannelModel | undefined;
  private openedAt = 0;
  private readonly listeners = new Set<(model: ChannelModel) => void>();
  private readonly stopping = new AbortController();
  private running: Promise<void> | undefined;
  private readonly url: string;
  private readonly reconnects: BackoffSchedule;

  constructor(
    url: string,
    private readonly logger: Logger,
    private readonly options: BrokerConnectionOptions = {},
  ) {
    this.state = new DependencyState('rabbitmq', logger);
    // Capped at 4 s: an attempt costs one TCP connect, and a service must be back within seconds of the
    // broker's return (docs/resilience.md), not wait out a long back-off it grew during the outage.
    this.reconnects = new BackoffSchedule(options.reconnectBackoff ?? { baseMs: 500, capMs: 4_000 });
    const withHeartbeat = new URL(url);
    if (!withHeartbeat.searchParams.has('heartbeat'))
      withHeartbeat.searchParams.set('heartbeat', String(options.heartbeatSeconds ?? 5));
    this.url = withHeartbeat.toString();
  }

  /** The open connection, or undefined while it is being (re)opened. */
  get current(): ChannelModel | undefined {
    return this.model;
  }

  /** How long the current connection has been open; 0 while there is none. */
  get openForMs(): number {
    return this.model ? Date.now() - this.openedAt : 0;
  }

  /** Runs `listener` on every connection opened from now on, and at once on the open one. It must not throw. */
  onConnected(listener: (model: ChannelModel) => void): void {
    this.listeners.add(listener);
    if (this.model) listener(this.model);
  }

  /** Starts connecting in the background; the connection is kept open until `close()`. */
  start(): void {
    this.running ??= this.keepOpen();
  }

  async close(): Promise<void> {
    this.stopping.abort();
    await this.running;
  }

  private async keepOpen(): Promise<void> {
    const { signal } = this.stopping;
    while (!signal.aborted) {
      let lost: unknown;
      try {
        const model = await amqp.connect(this.url, {
          timeout: this.options.connectTimeoutMs ?? 5_000,
          clientProperties: { connection_name: this.options.connectionName ?? 'confeitaria' },
        });
        this.reconnects.reset();
        lost = await this.serve(model, signal);
      } catch (error) {
        lost = error;
      }
      if (signal.aborted) return;
      this.state.markDown(lost);
      const delayMs = this.reconnects.next();
      this.logger.debug({ err: (lost as Error)?.message, delayMs }, 'reconnecting to RabbitMQ');
      await sleep(delayMs, undefined, { signal }).catch(() => {});
    }
  }

  /** Uses `model` until it closes; resolves with the reason it was lost (or at once after a stop). */
  private serve(model: ChannelModel, signal: AbortSignal): Promise<unknown> {
    return new Promise((resolve) => {
      let lastError: Error | undefined;
      model.on('error', (error: Error) => {
        lastError = error;
      });
      model.on('blocked', (reason: string) => this.logger.warn({ reason }, 'RabbitMQ blocks publishing'));
      model.on('unblocked', () => this.logger.info('RabbitMQ unblocked publishing'));
      const stop = () =>
        // A close on a dead link waits for a CloseOk that never comes: the stop does not wait for it.
        void Promise.race([model.close().catch(() => {}), sleep(2_000, undefined, { ref: false })]).then(() =>
          resolve(undefined),
        );
      model.on('close', (error?: Error) => {
        signal.removeEventListener('abort', stop);
        if (this.model === model) this.model = undefined;
        resolve(error ?? lastError ?? new Error('connection closed'));
      });
      if (signal.aborted) return stop();
      signal.addEventListener('abort', stop, { once: true });
      this.model = model;
      this.openedAt = Date.now();
      if (this.state.isUp) this.logger.info('connected to RabbitMQ');
      else this.state.markUp();
      for (const listener of this.listeners) listener(model);
    });
  }
}
