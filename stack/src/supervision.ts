/**
 * Supervision as the rest of the project sees it (the CLI, the chaos runner, tests): what is wanted,
 * what is held, and what the supervisor did. The supervisor itself lives in src/supervisor/.
 *
 * Holding a process down for a fault window (a chaos kill): `hold(name, by)`, kill it, and at the end
 * of the window `release(name)`: the supervisor sees a released component that is not running and
 * starts it at once (no back-off; journalled as a `start`, not counted as a restart); `waitHealthy()`
 * (stack.ts) waits for that, since the component is wanted again. Calling the component's own start()
 * instead, before or after release(), is just as safe:
 * every start, by anyone, runs under the component's start lock and does nothing when it already
 * runs, so nothing is ever started twice.
 */
import type { Component } from './component';
import { type Desired, readDesired, underStartLock, writeDesired } from './supervisor/desired-state';
import { appendEvent, countRestarts, type RestartCount, readEvents, type SupervisorEvent } from './supervisor/events';

export type { Desired, DesiredState } from './supervisor/desired-state';
export type { RestartCount, StartReason, SupervisorEvent } from './supervisor/events';

/** The supervisor leaves the component alone (like a container stopped by hand) until `release` or `up <name>`. */
export async function hold(name: string, by = 'cli'): Promise<void> {
  await underStartLock(name, async () => {
    if (readDesired(name)?.state === 'held') return;
    writeDesired(name, { state: 'held', since: Date.now(), by });
    appendEvent({ type: 'held', component: name, by });
  });
}

/** Ends a hold: wanted again, and started by the supervisor if it is not running. Nothing else changes. */
export async function release(name: string, by = 'cli'): Promise<void> {
  await underStartLock(name, async () => {
    if (readDesired(name)?.state !== 'held') return;
    writeDesired(name, { state: 'running', since: Date.now(), by });
    appendEvent({ type: 'released', component: name, by });
  });
}

/** True when the supervisor restarts the component if it exits (not held, not stopped, seen healthy). */
export function wanted(name: string): boolean {
  return readDesired(name)?.state === 'running';
}

/** The component's desired state, or undefined when it is not supervised. */
export function supervisionOf(name: string): Desired | undefined {
  return readDesired(name);
}

/** The journal (exits, restarts, holds) at or after `sinceMs`, oldest first. */
export function supervisorEvents(sinceMs = 0): SupervisorEvent[] {
  return readEvents(sinceMs);
}

/** Restarts per component since the stack came up; components never restarted are absent. */
export function restartCounts(): Record<string, RestartCount> {
  return Object.fromEntries(countRestarts(readEvents()));
}

/** `up`: the component started and is healthy, so it is wanted from now on (a hold ends here too). */
export async function markWanted(name: string, by = 'up'): Promise<void> {
  await underStartLock(name, async () => {
    const before = readDesired(name);
    if (before?.state === 'running') return;
    writeDesired(name, { state: 'running', since: Date.now(), by });
    if (before?.state === 'held') appendEvent({ type: 'released', component: name, by });
  });
}

/**
 * The component with supervision-aware start and stop, as `components()` hands it out:
 *   start()  under the start lock (never twice at once, by anyone); an unsupervised component becomes
 *            `starting`, and is supervised once the supervisor sees it healthy; a held one stays held
 *   stop()   not wanted any more first (like `docker stop`), then stopped: nothing restarts it
 */
export function underSupervision(component: Component): Component {
  return {
    ...component,
    async start() {
      await underStartLock(component.name, async () => {
        await component.start();
        if (readDesired(component.name) === undefined) {
          writeDesired(component.name, { state: 'starting', since: Date.now() });
        }
      });
    },
    async stop() {
      await underStartLock(component.name, async () => writeDesired(component.name, undefined));
      await component.stop();
    },
  };
}
