/**
 * Liveness of a process's messaging, kept pure so the bound is unit-tested without waiting it out.
 * A consumer (or the publisher) that has had no usable channel for longer than the bound while the
 * connection was open is stuck in this process: restarting it is the remedy. While the connection is
 * down the broker is away, which is not the process's fault, so that never fails liveness; and the
 * time counts from whichever came last, the channel's loss or the connection's opening, so a consumer
 * gets the whole bound to come back after an outage.
 */
export interface ChannelIdleness {
  /** `publisher`, or the consumer's queue. */
  role: string;
  /** How long the channel has not been usable; 0 while it is. */
  idleForMs: number;
}

export function livenessProblem(
  connectionOpenForMs: number,
  channels: ChannelIdleness[],
  boundMs: number,
): string | undefined {
  if (connectionOpenForMs === 0) return undefined;
  for (const { role, idleForMs } of channels) {
    const stuckForMs = Math.min(idleForMs, connectionOpenForMs);
    if (stuckForMs > boundMs)
      return `RabbitMQ channel for ${role} unusable for ${Math.round(stuckForMs / 1000)} s while connected`;
  }
  return undefined;
}
