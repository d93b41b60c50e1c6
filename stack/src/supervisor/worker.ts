/**
 * One worker per component: it polls the component's server process, hands what it sees to the pure
 * decisions in worker-state.ts and carries out their effects (journal, restart, back-off), and probes
 * a service's liveness URL like the kubelet does. It never throws: a failed step is logged (once per
 * distinct message) and the loop goes on.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Component } from '../component';
import { isPaused, probeHttp, signalGroup, tail } from '../process';
import { readDesired, underStartLock, writeDesired } from './desired-state';
import { appendEvent, type NewEvent, type SupervisorEvent } from './events';
import { restartPolicy } from './restart-policy';
import type { SupervisorMetrics } from './supervisor-metrics';
import { type Effect, initialState, observe, startFinished, type WorkerState } from './worker-state';

type StartEffect = Extract<Effect, { type: 'start' }>;

export class Worker {
  private state: WorkerState = initialState();
  /** A start is being carried out: the poll and the liveness probe wait. */
  private busy = false;
  private lastError = '';
  private lastReadinessProbe = 0;

  constructor(
    private readonly component: Component,
    private readonly metrics: SupervisorMetrics,
    private readonly log: (line: string) => void,
    private readonly onEvent: (event: SupervisorEvent) => void,
  ) {}

  /** Runs forever. */
  async run(): Promise<void> {
    void this.probeLiveness();
    for (;;) {
      await this.guarded('watch', () => this.tick());
      await sleep(restartPolicy.pollMs);
    }
  }

  private serverPid(): Promise<number | undefined> {
    return this.component.serverPid ? this.component.serverPid() : this.component.pid();
  }

  private async tick(): Promise<void> {
    const pid = await this.serverPid();
    const desired = readDesired(this.component.name)?.state;
    this.metrics.observed(this.component, pid !== undefined, desired === 'held');
    const { state, effects } = observe(this.state, { now: Date.now(), desired, pid });
    this.state = state;
    for (const effect of effects) {
      if (effect.type === 'exited') await this.recordExit(effect);
      else if (effect.type === 'drop') await this.drop();
      else await this.restart(effect);
    }
    if (desired === 'starting' && pid !== undefined && Date.now() - this.lastReadinessProbe >= 1_000) {
      this.lastReadinessProbe = Date.now();
      if ((await this.component.health()).ok) await this.promote();
    }
  }

  private record(event: NewEvent): void {
    this.onEvent(appendEvent(event));
  }

  private async recordExit(effect: Extract<Effect, { type: 'exited' }>): Promise<void> {
    const log = (await tail(this.component.logFile, 8)).split('\n');
    this.record({
      type: 'exit',
      component: this.component.name,
      kind: this.component.kind,
      ...(effect.pid !== undefined ? { pid: effect.pid } : {}),
      reason: effect.reason,
      held: effect.held,
      log,
    });
  }

  /** Started by a plain start() and dead before it was ever healthy: a failed start is not supervised. */
  private async drop(): Promise<void> {
    await underStartLock(this.component.name, async () => {
      if (readDesired(this.component.name)?.state !== 'starting' || (await this.serverPid()) !== undefined) return;
      writeDesired(this.component.name, undefined);
      const detail = (await tail(this.component.logFile, 1)) || 'no log';
      this.record({ type: 'dropped', component: this.component.name, detail });
    });
  }

  /** Seen healthy after a plain start(): from now on it is wanted, like everything `up` started. */
  private async promote(): Promise<void> {
    await underStartLock(this.component.name, async () => {
      const desired = readDesired(this.component.name);
      if (desired?.state === 'starting') writeDesired(this.component.name, { ...desired, state: 'running' });
    });
  }

  private async restart(effect: StartEffect): Promise<void> {
    this.busy = true;
    try {
      const outcome = await this.attemptStart(effect);
      this.state = startFinished(this.state, typeof outcome === 'string' ? outcome : 'failed', Date.now());
      if (typeof outcome !== 'string') {
        this.record({
          type: 'restart-failed',
          component: this.component.name,
          error: outcome.error.slice(0, 2_000),
          nextDelayMs: this.state.pending?.delayMs ?? 0,
        });
      }
    } finally {
      this.busy = false;
    }
  }

  private async attemptStart(effect: StartEffect): Promise<'started' | 'skipped' | { error: string }> {
    const { name, kind } = this.component;
    let launched: 'launched' | 'skipped';
    try {
      launched = await underStartLock(name, async () => {
        // Checked again under the lock: a hold, a stop or someone else's start may have come first.
        if (readDesired(name)?.state !== 'running' || (await this.serverPid()) !== undefined) return 'skipped';
        if (effect.reason === 'released') this.record({ type: 'start', component: name, kind, reason: 'released' });
        else {
          this.record({
            type: 'restart',
            component: name,
            kind,
            reason: effect.reason,
            attempt: effect.attempt,
            delayMs: effect.delayMs,
          });
          this.metrics.restarted(this.component, effect.reason);
        }
        // A wrapper that outlived its server (RabbitMQ's runuser) would make start() think it runs.
        if ((await this.component.pid()) !== undefined) await this.component.stop();
        await this.component.start();
        return 'launched';
      });
    } catch (error) {
      return { error: (error as Error).message };
    }
    if (launched === 'skipped') return 'skipped';
    return this.awaitHealthy(effect.noticedAt);
  }

  /** Healthy: restarted. Dead again first: failed. Alive but not healthy in time: left to liveness. */
  private async awaitHealthy(noticedAt: number): Promise<'started' | { error: string }> {
    const within =
      this.component.kind === 'infra' ? restartPolicy.healthyWithinMs.infra : restartPolicy.healthyWithinMs.other;
    const deadline = Date.now() + within;
    let health = await this.component.health();
    while (!health.ok && Date.now() < deadline) {
      if ((await this.component.pid()) === undefined) {
        return { error: `exited again before it was healthy:\n${await tail(this.component.logFile, 8)}` };
      }
      // Held or stopped meanwhile: whoever did that owns it now.
      if (readDesired(this.component.name)?.state !== 'running') return 'started';
      await sleep(500);
      health = await this.component.health();
    }
    const pid = await this.serverPid();
    this.record({
      type: 'restarted',
      component: this.component.name,
      ...(pid !== undefined ? { pid } : {}),
      downtimeMs: Date.now() - noticedAt,
      healthy: health.ok,
      detail: health.detail,
    });
    return 'started';
  }

  /**
   * The kubelet's liveness probe, for components that have a liveness URL (the services): killed after
   * failureThreshold failures in a row. A held component, a restart under way and a process stopped
   * by SIGSTOP (a chaos pause: it cannot answer, and is not meant to) reset the count instead.
   */
  private async probeLiveness(): Promise<void> {
    const url = this.component.livenessUrl;
    if (!url) return;
    const { periodMs, timeoutMs, failureThreshold } = restartPolicy.liveness;
    let failures = 0;
    let probedPid: number | undefined;
    let next = Date.now();
    for (;;) {
      // Probes start periodMs apart, however long one took to time out (the kubelet's periodSeconds).
      next = Math.max(next + periodMs, Date.now());
      await sleep(next - Date.now());
      await this.guarded('liveness', async () => {
        const pid = await this.serverPid();
        const exempt = this.busy || pid === undefined || readDesired(this.component.name)?.state !== 'running';
        if (exempt || pid !== probedPid || isPaused(pid)) {
          failures = 0;
          probedPid = pid;
          return;
        }
        const response = await probeHttp(url, timeoutMs);
        if (response?.status === 200 || isPaused(pid)) {
          failures = 0;
          return;
        }
        failures += 1;
        if (failures < failureThreshold) return;
        failures = 0;
        const detail = response ? `${url} answered ${response.status}` : `${url} did not answer in ${timeoutMs} ms`;
        await underStartLock(this.component.name, async () => {
          if (readDesired(this.component.name)?.state !== 'running' || (await this.serverPid()) !== pid) return;
          this.record({
            type: 'liveness-failed',
            component: this.component.name,
            pid,
            failures: failureThreshold,
            detail,
          });
          this.state = { ...this.state, livenessKilled: pid };
          signalGroup(pid, 'SIGKILL');
        });
      });
    }
  }

  private async guarded(what: string, step: () => Promise<void>): Promise<void> {
    try {
      await step();
      this.lastError = '';
    } catch (error) {
      const message = `${this.component.name}: ${what} failed: ${(error as Error).message}`;
      if (message !== this.lastError) this.log(message);
      this.lastError = message;
    }
  }
}
