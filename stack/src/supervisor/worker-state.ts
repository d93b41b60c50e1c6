/**
 * What the supervisor decides for one component, as a pure function of what it saw: the worker
 * (worker.ts) feeds it an observation every poll and carries out the effects it returns. Kept free of
 * I/O so that the decisions (when an exit counts, when a restart is due, when the back-off resets)
 * are unit-tested without processes.
 */
import type { DesiredState } from './desired-state';
import type { StartReason } from './events';
import { restartDelay, restartPolicy } from './restart-policy';

export interface WorkerState {
  /** The server pid last seen alive. */
  pid?: number;
  /** When that process was first seen alive: up this long, the back-off resets. */
  aliveSince?: number;
  /** Restarts in a row without the process staying up for resetAfterMs: the back-off exponent. */
  restarts: number;
  /** After an exit was noticed: when to start it, and why. */
  pending?: { noticedAt: number; dueAt: number; delayMs: number; reason: StartReason };
  /** The pid the liveness probe killed: its exit is recorded with reason `liveness`. */
  livenessKilled?: number;
  /** The desired state at the previous observation (held → running is a release). */
  desired?: DesiredState;
}

export interface Observation {
  now: number;
  desired: DesiredState | undefined;
  /** The server pid, undefined when no such process is alive. */
  pid: number | undefined;
}

export type Effect =
  /** Record an exit (and, unless held, count on a restart to follow). */
  | { type: 'exited'; pid: number | undefined; reason: 'exit' | 'liveness'; held: boolean }
  /** Start it now (under the start lock, checking again that it is wanted and not running). */
  | { type: 'start'; reason: StartReason; attempt: number; delayMs: number; noticedAt: number }
  /** A `starting` process died before it was healthy: forget it. */
  | { type: 'drop' };

export const initialState = (): WorkerState => ({ restarts: 0 });

export function observe(
  state: WorkerState,
  seen: Observation,
  random: () => number = Math.random,
): { state: WorkerState; effects: Effect[] } {
  const next: WorkerState = { ...state, desired: seen.desired };
  const effects: Effect[] = [];
  if (seen.pid !== undefined) {
    // Alive: a new pid (our restart, or someone else's start) starts a new up-time. A process killed for
    // liveness may take a moment to die (a frozen one only dies once thawed): its pid keeps the reason.
    if (next.pid !== seen.pid) {
      next.pid = seen.pid;
      next.aliveSince = seen.now;
      if (next.livenessKilled !== seen.pid) next.livenessKilled = undefined;
    }
    next.pending = undefined;
    if (next.restarts > 0 && seen.now - (next.aliveSince ?? seen.now) >= restartPolicy.resetAfterMs) next.restarts = 0;
    return { state: next, effects };
  }

  const lastPid = next.pid;
  next.pid = undefined;
  next.aliveSince = undefined;
  if (seen.desired === undefined) {
    next.pending = undefined;
    next.livenessKilled = undefined;
    return { state: next, effects };
  }
  if (seen.desired === 'starting') {
    next.pending = undefined;
    return { state: next, effects: [{ type: 'drop' }] };
  }
  if (seen.desired === 'held') {
    // Left alone; the exit still goes on the record (a chaos timeline shows it), once.
    if (lastPid !== undefined) effects.push({ type: 'exited', pid: lastPid, reason: 'exit', held: true });
    next.pending = undefined;
    next.livenessKilled = undefined;
    return { state: next, effects };
  }

  if (!next.pending) {
    if (state.desired === 'held') {
      // Released while down: it was held down on purpose, so this start is neither a crash nor delayed.
      next.pending = { noticedAt: seen.now, dueAt: seen.now, delayMs: 0, reason: 'released' };
    } else {
      const reason = next.livenessKilled !== undefined ? 'liveness' : 'exit';
      effects.push({ type: 'exited', pid: lastPid, reason, held: false });
      const delayMs = restartDelay(next.restarts, random);
      next.pending = { noticedAt: seen.now, dueAt: seen.now + delayMs, delayMs, reason };
    }
    next.livenessKilled = undefined;
  }
  const { pending } = next;
  if (seen.now >= pending.dueAt) {
    effects.push({
      type: 'start',
      reason: pending.reason,
      attempt: next.restarts + 1,
      delayMs: pending.delayMs,
      noticedAt: pending.noticedAt,
    });
  }
  return { state: next, effects };
}

/**
 * After a `start` effect was carried out. `started`: launched and alive; `failed`: it threw or died
 * again before it was healthy (the next attempt waits twice as long); `skipped`: the check under the
 * lock found it running already (someone else started it) or not wanted any more.
 */
export function startFinished(
  state: WorkerState,
  outcome: 'started' | 'failed' | 'skipped',
  now: number,
  random: () => number = Math.random,
): WorkerState {
  const { pending } = state;
  if (!pending || outcome === 'skipped') return { ...state, pending: undefined };
  if (outcome === 'started') {
    return { ...state, pending: undefined, restarts: state.restarts + (pending.reason === 'released' ? 0 : 1) };
  }
  const restarts = state.restarts + 1;
  const delayMs = restartDelay(restarts, random);
  // A start after a release that fails is a failure like any other: from here on it backs off.
  const reason = pending.reason === 'released' ? 'exit' : pending.reason;
  return { ...state, restarts, pending: { noticedAt: pending.noticedAt, dueAt: now + delayMs, delayMs, reason } };
}
