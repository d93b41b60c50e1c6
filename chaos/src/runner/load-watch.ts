/**
 * The load generator as the measurement it is (issue 19: "no verdict without a valid measurement").
 * On a slower machine k6's setup() once got a 503, k6 stopped, and the runner went on to inject faults
 * into an idle shop and judged four hypotheses on nothing. Now k6 is started, its setup() awaited (the
 * phases begin when setup is over), and its exit watched for the whole run: a k6 that could not start,
 * whose setup failed, or that exited before the end of the recovery phase makes the run INVALID, with
 * the error line of k6's own log as the reason, and the runner stops at once.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { consoleJson, type K6LogEntry, type K6Result, runK6 } from '@confeitaria/stack/k6';
import type { PhaseWindow } from '../run-result';
import { GeneratorCpuWatch } from './generator-cpu';
import { instant } from './prometheus-client';

/** The run cannot be judged: thrown (and caught by the runner) with the reason as its message. */
export class InvalidMeasurement extends Error {}

/** k6 may end this long before the end of the recovery phase without invalidating the run. */
export const earlyExitMarginMs = 5_000;

/** The first line of an entry's message (a script exception carries its stack below it). */
const firstLine = (entry: K6LogEntry) => entry.msg.split('\n')[0]?.trim() ?? '';

/**
 * Why k6 stopped, in its own words: the last error line of its log (a script exception's message, a
 * setup() failure first), else its last warning, else a note that it logged none. Pure, for the tests.
 */
export function k6Failure(entries: K6LogEntry[], exitCode: number | undefined, signal?: string): string {
  const code = signal ? `k6 ended by ${signal}` : exitCode === undefined ? 'k6' : `k6 exit code ${exitCode}`;
  const errors = entries.filter((entry) => entry.level === 'error');
  const setupError = errors.find((entry) => /\bat setup \(/.test(entry.msg));
  const error = setupError ?? errors[errors.length - 1];
  if (error) {
    const where = setupError ? "k6's setup() failed" : 'k6 logged an error';
    return `${where} (${code}): "${firstLine(error)}"`;
  }
  const warning = entries.filter((entry) => entry.level === 'warning').pop();
  if (warning)
    return `${code}, no error logged; last warning: "${firstLine(warning)}${warning.error ? `: ${warning.error}` : ''}"`;
  return `${code}, nothing in its log`;
}

export interface LoadOptions {
  script: string;
  outDir: string;
  testId: string;
  /** Iterations per second, and admin stock writes per second (0: none). */
  rate: number;
  adminRate: number;
  /** How long k6 runs once its setup is over. */
  durationS: number;
  /** Seconds setup() may spend retrying transient failures (k6's SETUP_RETRY_S). */
  setupRetryS: number;
  /** k6's environment besides the rate and duration: the VU pool and its shoppers (vu-pool.ts). */
  env?: Record<string, string>;
  /** Called with k6's pid once it is spawned. */
  onSpawn?: (pid: number) => void;
}

export class LoadWatch {
  readonly result: Promise<K6Result>;
  private readonly log: K6LogEntry[] = [];
  private readonly stopper = new AbortController();
  private readonly invalidation = new AbortController();
  private setupDoneAt: number | undefined;
  private exit: { at: number; code?: number; signal?: string; error?: string } | undefined;
  private phases: PhaseWindow[] = [];
  /** k6's own CPU use and run-queue wait, sampled while it runs (validity.ts judges it). */
  readonly cpu = new GeneratorCpuWatch();

  constructor(private readonly options: LoadOptions) {
    this.result = runK6(options.script, {
      profile: 'chaos',
      outDir: options.outDir,
      testId: options.testId,
      quiet: true,
      requestsCsv: true,
      signal: this.stopper.signal,
      onSpawn: (pid) => {
        this.cpu.start(pid);
        options.onSpawn?.(pid);
      },
      env: {
        RATE: String(options.rate),
        ADMIN_RATE: String(options.adminRate),
        DURATION: `${Math.ceil(options.durationS)}s`,
        SETUP_RETRY_S: String(options.setupRetryS),
        ...options.env,
      },
      onLog: (entry) => {
        this.log.push(entry);
        if (this.setupDoneAt === undefined && consoleJson(entry)?.setup === 'done') this.setupDoneAt = Date.now();
      },
    });
    this.result.finally(() => this.cpu.stop()).catch(() => {});
    this.result.then(
      (result) => this.ended({ code: result.exitCode, ...(result.signal ? { signal: result.signal } : {}) }),
      (error: Error) => this.ended({ error: error.message }),
    );
  }

  /** Aborted, with the reason, once the measurement stopped being valid (k6 gone too early). */
  get invalidated(): AbortSignal {
    return this.invalidation.signal;
  }

  /**
   * Resolves with the instant k6's setup() finished (the load begins); throws InvalidMeasurement when
   * k6 exits first (setup failed) or has not finished setup within setup's retry budget and a minute.
   */
  async started(signal: AbortSignal, onWait: (seconds: number) => void): Promise<number> {
    const since = Date.now();
    const deadline = since + (this.options.setupRetryS + 60) * 1000;
    for (;;) {
      if (this.setupDoneAt !== undefined) return this.setupDoneAt;
      if (this.exit) throw new InvalidMeasurement(this.exitReason('before its load started'));
      if (Date.now() > deadline) {
        this.stop();
        throw new InvalidMeasurement(
          `k6 did not finish setup() within ${Math.round((deadline - since) / 1000)} s; ${k6Failure(this.log, undefined)}`,
        );
      }
      signal.throwIfAborted();
      onWait(Math.round((Date.now() - since) / 1000));
      await sleep(200);
    }
  }

  /** From now on, k6 ending before the last phase's end (less a margin) invalidates the run. */
  watch(phases: PhaseWindow[]): void {
    this.phases = phases;
    if (this.exit) this.ended(this.exit);
  }

  /** Throws InvalidMeasurement when none of the load's requests has reached Prometheus (no remote write). */
  async assertMeasured(): Promise<void> {
    const requests = await instant(`sum(k6_http_reqs_total{testid="${this.options.testId}"})`).catch(() => null);
    if (requests === null || requests === 0) {
      throw new InvalidMeasurement(
        `none of the load's requests reached Prometheus (k6 remote write, testid ${this.options.testId}): the probes would read nothing`,
      );
    }
  }

  /** Stops k6 (SIGINT: it still writes its summary); an exit after this is the runner's doing. */
  stop(): void {
    this.stopper.abort();
  }

  private ended(how: { code?: number; signal?: string; error?: string }): void {
    this.exit ??= { at: Date.now(), ...how };
    const end = this.phases[this.phases.length - 1]?.end;
    if (this.stopper.signal.aborted || end === undefined || this.invalidation.signal.aborted) return;
    if (this.exit.at >= end - earlyExitMarginMs) return;
    const phase = this.phases.find((p) => this.exit && this.exit.at >= p.start && this.exit.at < p.end);
    const origin = this.phases[0]?.start ?? this.exit.at;
    const when = `at t = ${Math.round((this.exit.at - origin) / 1000)} s${phase ? ` (${phase.name} phase)` : ''}, ${Math.round((end - this.exit.at) / 1000)} s before the end of the recovery phase`;
    this.invalidation.abort(this.exitReason(when));
  }

  private exitReason(when: string): string {
    if (this.exit?.error) return `k6 could not start: ${this.exit.error}`;
    return `k6 exited ${when}; ${k6Failure(this.log, this.exit?.code, this.exit?.signal)}`;
  }
}
