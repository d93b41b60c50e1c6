import { setTimeout as sleep } from 'node:timers/promises';
import type { Channel, ChannelModel } from 'amqplib';
import type { Logger } from 'pino';
import type { BackoffOptions } from '../dependencies/backoff';
import { channelLosses } from '../metrics/messaging-metrics';
import { BackoffSchedule } from './backoff-schedule';
import type { BrokerConnection } from './broker-connection';

export interface SupervisedChannelOptions<C extends Channel> {
  /** What the channel is for, in logs and metrics: `publisher`, or the consumer's queue. */
  role: string;
  open(model: ChannelModel): Promise<C>;
  /** Declares what the channel needs and starts using it; runs again on every new channel. */
  setUp(channel: C): Promise<void>;
  /** Called when the channel becomes usable (true) or stops being so (false). */
  onReadyChange?(ready: boolean): void;
  /** Delay before opening it again after the broker closed it while the connection stayed up. */
  reopenBackoff?: BackoffOptions;
}

/**
 * A channel that keeps itself open and set up on whatever connection is current. RabbitMQ closes a
 * channel on its own for many reasons while the connection stays up (PRECONDITION_FAILED from acking
 * an unknown delivery tag, NOT_FOUND from publishing to a deleted exchange...) and cancels a consumer
 * whose queue was deleted: each time, the channel is opened (or set up) again after a back-off, the loss
 * is logged once and counted in `messaging_channel_losses_total`. A channel lost with its connection is
 * left to the connection, which reopens everything once it is back.
 */
export class SupervisedChannel<C extends Channel> {
  private channel: C | undefined;
  private channelModel: ChannelModel | undefined;
  private ready = false;
  private unreadySince = Date.now();
  private busy: Promise<void> | undefined;
  private again = false;
  private closing = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly reopens: BackoffSchedule;
  private lossLogged = false;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly connection: BrokerConnection,
    private readonly logger: Logger,
    private readonly options: SupervisedChannelOptions<C>,
  ) {
    this.reopens = new BackoffSchedule(options.reopenBackoff ?? { baseMs: 250, capMs: 4_000 });
    connection.onConnected(() => this.ensure());
  }

  /** The channel, while it is open and set up. */
  get current(): C | undefined {
    return this.ready ? this.channel : undefined;
  }

  /** How long it has not been usable; 0 while it is. */
  get unreadyForMs(): number {
    return this.ready ? 0 : Date.now() - this.unreadySince;
  }

  /** Resolves once the channel is usable, or once it is closed. */
  whenReady(): Promise<void> {
    if (this.ready || this.closing) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The channel is open but no longer does its job (the broker cancelled its consumer): set it up again. */
  refresh(reason: string): void {
    if (this.closing) return;
    this.setReady(false);
    channelLosses.inc({ channel: this.options.role });
    this.noteLoss(reason);
    this.retryLater();
  }

  /**
   * Stops keeping it open; `drain` runs first (to cancel and let work finish), with the channel if it
   * is usable, then the channel closes.
   */
  async close(drain?: (channel: C | undefined) => Promise<void>): Promise<void> {
    this.closing = true;
    clearTimeout(this.retryTimer);
    // An attempt on a dead link can hang until the heartbeat notices; closing the connection ends it.
    await Promise.race([this.busy, sleep(2_000, undefined, { ref: false })]);
    const channel = this.channel;
    if (drain) await drain(this.current).catch(() => {});
    this.setReady(false);
    this.channel = undefined;
    for (const wake of this.waiters.splice(0)) wake();
    await channel?.close().catch(() => {});
  }

  /** Makes sure the channel is open and set up on the current connection; safe to call at any time. */
  private ensure(): void {
    if (this.closing) return;
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = this.establish().finally(() => {
      this.busy = undefined;
      if (this.again) {
        this.again = false;
        this.ensure();
      }
    });
  }

  private async establish(): Promise<void> {
    const model = this.connection.current;
    if (!model || (this.ready && this.channelModel === model)) return;
    try {
      if (!this.channel || this.channelModel !== model) {
        const channel = await this.options.open(model);
        this.watch(channel);
        this.channel = channel;
        this.channelModel = model;
      }
      const channel = this.channel;
      await this.options.setUp(channel);
      // Closed while being set up: its close schedules the next try (or the stop closes the connection).
      if (this.channel !== channel || this.closing) return;
      this.reopens.reset();
      this.setReady(true);
      if (this.lossLogged) {
        this.lossLogged = false;
        this.logger.info({ channel: this.options.role }, `RabbitMQ channel for ${this.options.role} is back`);
      }
    } catch (error) {
      // With the connection gone, the next connection sets the channel up; otherwise try again here.
      if (this.closing || this.connection.current !== model) return;
      this.noteLoss((error as Error).message);
      this.retryLater();
    }
  }

  private watch(channel: C): void {
    let serverError: Error | undefined;
    channel.on('error', (error: Error) => {
      serverError = error;
    });
    channel.on('close', () => {
      if (this.channel !== channel) return;
      this.channel = undefined;
      this.setReady(false);
      if (this.closing) return;
      // Closed with an error: the broker closed it while the connection may stay up. Without one it went
      // with its connection (amqplib closes the channels first), and the retry below finds no connection.
      if (serverError) {
        channelLosses.inc({ channel: this.options.role });
        this.noteLoss(serverError.message);
      }
      this.retryLater();
    });
  }

  private retryLater(): void {
    if (this.retryTimer || this.closing) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.ensure();
    }, this.reopens.next());
  }

  /** Logs the first failure of a run of them: the channel's loss, not every failed attempt to get it back. */
  private noteLoss(reason: string): void {
    if (this.lossLogged) return;
    this.lossLogged = true;
    this.logger.warn({ channel: this.options.role, err: reason }, `RabbitMQ channel for ${this.options.role} lost`);
  }

  private setReady(ready: boolean): void {
    if (this.ready === ready) return;
    this.ready = ready;
    if (!ready) this.unreadySince = Date.now();
    this.options.onReadyChange?.(ready);
    if (ready) for (const wake of this.waiters.splice(0)) wake();
  }
}
