/**
 * The supervisor's journal: one JSON object per line in run/supervisor/events.jsonl, appended by the
 * supervisor (exits, restarts) and by whoever holds or releases a component. It is the one record of
 * restarts: `status` counts them from it, the supervisor's counters start from it, and the chaos
 * runner reads it to put exits and restarts on a report's timeline.
 */
import { appendFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runDir } from '../paths';

export const eventsFile = join(runDir, 'supervisor', 'events.jsonl');

/** Why the supervisor (re)started a process. `released`: a hold ended and the process was not running. */
export type StartReason = 'exit' | 'liveness' | 'released';

interface EventBase {
  /** When it happened, ms since the epoch. */
  at: number;
  component: string;
}

export type SupervisorEvent = EventBase &
  (
    | {
        /** A supervised process was found gone. Unexpected unless `held`. */
        type: 'exit';
        kind: string;
        /** The pid last seen alive; undefined when it died while no supervisor was watching. */
        pid?: number;
        reason: 'exit' | 'liveness';
        held: boolean;
        /** The last lines of its log file, for the why. */
        log: string[];
      }
    | {
        /** Its liveness probe failed this many times in a row: the supervisor SIGKILLs it. */
        type: 'liveness-failed';
        pid: number;
        failures: number;
        detail: string;
      }
    | {
        /** The supervisor is starting it again: one restart (what stack_restarts_total counts). */
        type: 'restart';
        kind: string;
        reason: 'exit' | 'liveness';
        /** Restarts in a row without it staying up (the back-off exponent), this one included. */
        attempt: number;
        /** How long the supervisor waited after the exit. */
        delayMs: number;
      }
    | {
        /** A hold ended with the process not running: the supervisor starts it (not a restart). */
        type: 'start';
        kind: string;
        reason: 'released';
      }
    | {
        /** Back up after a restart or a start: running, and healthy unless `healthy` says otherwise. */
        type: 'restarted';
        pid?: number;
        /** From the exit noticed to healthy (or to the health deadline). */
        downtimeMs: number;
        healthy: boolean;
        detail: string;
      }
    | { type: 'restart-failed'; error: string; nextDelayMs: number }
    | { type: 'held'; by: string }
    | { type: 'released'; by: string }
    | {
        /** Launched by a plain start() but dead before it was ever healthy: not supervised. */
        type: 'dropped';
        detail: string;
      }
    | { type: 'supervisor-started'; pid: number; watching: string[] }
  );

/** Distributes over the union, so each variant keeps its own fields. */
type WithoutAt<T> = T extends unknown ? Omit<T, 'at'> : never;
export type NewEvent = WithoutAt<SupervisorEvent>;

/** Appends one event (a single write of one line: appends from several processes do not interleave). */
export function appendEvent(event: NewEvent, at = Date.now()): SupervisorEvent {
  const stamped = { at, ...event } as SupervisorEvent;
  mkdirSync(join(eventsFile, '..'), { recursive: true });
  appendFileSync(eventsFile, `${JSON.stringify(stamped)}\n`);
  return stamped;
}

/** Every event at or after `sinceMs`, oldest first. A line that does not parse (cut by a crash) is skipped. */
export function readEvents(sinceMs = 0): SupervisorEvent[] {
  let text: string;
  try {
    text = readFileSync(eventsFile, 'utf8');
  } catch {
    return [];
  }
  const events: SupervisorEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      const event = JSON.parse(line) as SupervisorEvent;
      if (event.at >= sinceMs) events.push(event);
    } catch {
      // a torn last line
    }
  }
  return events;
}

export interface RestartCount {
  count: number;
  /** When the last restart began. */
  lastAt?: number;
  byReason: Record<'exit' | 'liveness', number>;
}

/** Restarts per component since the stack came up (`down` clears the journal). */
export function countRestarts(events: SupervisorEvent[]): Map<string, RestartCount> {
  const counts = new Map<string, RestartCount>();
  for (const event of events) {
    if (event.type !== 'restart') continue;
    const count = counts.get(event.component) ?? { count: 0, byReason: { exit: 0, liveness: 0 } };
    count.count += 1;
    count.byReason[event.reason] += 1;
    count.lastAt = event.at;
    counts.set(event.component, count);
  }
  return counts;
}

/** Starts a new journal (`down`). */
export function clearEvents(): void {
  rmSync(eventsFile, { force: true });
}
