/**
 * Notices the machine standing still. A timer due every `everyMs` that fires seconds late means this
 * process was not scheduled, and on a shared machine neither, as a rule, were k6, the shop, the
 * collector and Prometheus: a CI run once lost 26 s at the start of a fault phase, every service's
 * spans, k6's samples and the runner's own fault injection with it, and the probes then judged an
 * empty window as a failed hypothesis. A run with such a gap inside its phases is not a measurement
 * (issue 17's "the clock jumped"): the runner marks it INVALID instead of judging it.
 */
export interface Stall {
  /** When the late timer finally fired (ms since the epoch). */
  at: number;
  /** How long nothing ran, beyond the timer's own interval. */
  ms: number;
}

/** The wall clock moved by `ms` more (or less, when negative) than the monotonic clock did. */
export interface ClockJump {
  at: number;
  ms: number;
}

/** A jump smaller than this is NTP slewing or timer jitter, not a jump. */
const jumpMs = 500;

export class StallWatch {
  private timer: NodeJS.Timeout | undefined;
  private last = 0;
  private lastWall = 0;
  readonly stalls: Stall[] = [];
  readonly jumps: ClockJump[] = [];

  /** `now` is the monotonic clock the stalls are measured on; `wall` the clock timestamps come from. */
  constructor(
    private readonly everyMs = 250,
    private readonly now: () => number = () => performance.timeOrigin + performance.now(),
    private readonly wall: () => number = Date.now,
  ) {}

  start(): void {
    this.last = this.now();
    this.lastWall = this.wall();
    this.timer = setInterval(() => this.tick(), this.everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One tick of the timer (public for tests that drive the clock). */
  tick(): void {
    const now = this.now();
    const wall = this.wall();
    const late = now - this.last - this.everyMs;
    if (late > 1_000) this.stalls.push({ at: wall, ms: late });
    const jump = wall - this.lastWall - (now - this.last);
    if (Math.abs(jump) > jumpMs) this.jumps.push({ at: wall, ms: jump });
    this.last = now;
    this.lastWall = wall;
  }

  /** The longest stall of at least `minMs` that overlapped [from, to], if any. */
  longestWithin(from: number, to: number, minMs: number): Stall | undefined {
    return this.stalls
      .filter((stall) => stall.ms >= minMs && stall.at >= from && stall.at - stall.ms <= to)
      .sort((a, b) => b.ms - a.ms)[0];
  }
}
