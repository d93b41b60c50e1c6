/**
 * The gateway's GET /demo/state, as the storefront's demo panel reads it: the experiment in progress
 * and the newest judged run, from the chaos runner's signal (chaos/src/runner/fault-signal.ts).
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { gatewayUrl } from './endpoints';

export interface DemoState {
  experiment: { scenario: string; phase: string } | null;
  lastRun: { scenario: string; run: string; verdict: string; p95Ms?: number; acceptedOrders?: number } | null;
}
export const demoState = async () => (await (await fetch(`${gatewayUrl}/demo/state`)).json()) as DemoState;

/** Every phase of `scenario` the demo panel's endpoint reports while `work` runs, polled each second. */
export async function phasesSeen<T>(scenario: string, work: () => Promise<T>): Promise<{ value: T; phases: string[] }> {
  const phases: string[] = [];
  let done = false;
  const poll = (async () => {
    while (!done) {
      const state = await demoState().catch(() => undefined);
      const phase = state?.experiment?.scenario === scenario ? state.experiment.phase : undefined;
      if (phase && phases.at(-1) !== phase) phases.push(phase);
      await sleep(1_000);
    }
  })();
  try {
    return { value: await work(), phases };
  } finally {
    done = true;
    await poll;
  }
}

/** The newest judged run /demo/state reports, once it is `run` (up to 30 s: export, scrape, cache). */
export async function lastRunOnceItIs(run: string): Promise<DemoState['lastRun']> {
  let last: DemoState['lastRun'] = null;
  for (let tries = 0; tries < 30; tries++) {
    last = (await demoState().catch(() => undefined))?.lastRun ?? null;
    if (last?.run === run) break;
    await sleep(1_000);
  }
  return last;
}

/**
 * Asserts what the demo panel showed of a run: its three phases while it ran, and once judged, the run
 * itself (named by its folder) as the newest with verdict PASS. Returns that last run.
 */
export async function assertPanelFollowed(phases: string[], run: string): Promise<NonNullable<DemoState['lastRun']>> {
  console.log(`  phases the demo panel saw: ${phases.join(' → ')}`);
  for (const phase of ['baseline', 'fault', 'recovery'])
    assert.ok(phases.includes(phase), `${phase} seen in ${phases}`);
  const last = await lastRunOnceItIs(run);
  assert.equal(last?.run, run, 'the newest run is this one');
  assert.equal(last?.verdict, 'PASS');
  return last as NonNullable<DemoState['lastRun']>;
}
