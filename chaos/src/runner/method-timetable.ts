/**
 * The phases and the method in time: phase windows from the instant the load began, each method
 * step's apply and rollback at absolute times in the fault phase, and the loop that runs them on time
 * (rollbacks in the background, so a process coming back does not hold up the faults timed after it).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { PhaseName, PhaseWindow, RunConfig } from '../run-result';
import type { MethodStep } from '../scenario';
import type { AppliedFault, FaultInjector } from './fault-injector';
import type { FaultSignal } from './fault-signal';
import type { Progress } from './progress';

export interface Timed {
  at: number;
  run: () => Promise<void>;
  /** Rollbacks run in the background: a process coming back (and waiting to be healthy) must not hold
   * up the faults timed after it. Applies are awaited: a fault that cannot be applied stops the run. */
  background?: boolean;
}

/** Baseline, fault and recovery back to back from `t0`, as long as the config says. */
export function planPhases(t0: number, config: RunConfig): PhaseWindow[] {
  const phases: PhaseWindow[] = [];
  let at = t0;
  for (const [name, seconds] of [
    ['baseline', config.baselineS],
    ['fault', config.faultS],
    ['recovery', config.recoveryS],
  ] as [PhaseName, number][]) {
    phases.push({ name, start: at, end: at + seconds * 1000 });
    at += seconds * 1000;
  }
  return phases;
}

/** The method as a timetable: each step's apply and rollback at absolute times in the fault phase. */
function timetable(method: MethodStep[], fault: PhaseWindow, injector: FaultInjector, signal: FaultSignal): Timed[] {
  const length = fault.end - fault.start;
  return method.flatMap((step) => {
    let applied: AppliedFault[] = [];
    return [
      {
        at: fault.start + step.at * length,
        run: async () => {
          applied = await injector.apply(step.fault);
          for (const made of applied) signal.faultChanged(made);
        },
      },
      {
        at: fault.start + (step.until ?? 1) * length,
        background: true,
        run: async () => {
          for (const made of applied) {
            await injector.rollback(made);
            signal.faultChanged(made);
          }
        },
      },
    ];
  });
}

export interface MethodRun {
  phases: PhaseWindow[];
  method: MethodStep[];
  injector: FaultInjector;
  faultSignal: FaultSignal;
  /** The runner's own timed actions (phase marks, meters, checks), run before a step timed alike. */
  marks: Timed[];
  signal: AbortSignal;
  progress: Progress;
  /** Where a background rollback's failure goes (the run goes on; the verdict names it). */
  rollbackErrors: string[];
}

/** Runs marks and method on time until the end of the last phase; throws when aborted or a step fails. */
export async function runMethod(run: MethodRun): Promise<void> {
  const fault = run.phases.find((phase) => phase.name === 'fault') as PhaseWindow;
  const last = run.phases[run.phases.length - 1] as PhaseWindow;
  const steps = timetable(run.method, fault, run.injector, run.faultSignal);
  const background: Promise<void>[] = [];
  for (const step of [...run.marks, ...steps].sort((a, b) => a.at - b.at)) {
    await sleepUntil(step.at, run.signal, run.progress);
    if (step.background) {
      background.push(step.run().catch((error: Error) => void run.rollbackErrors.push(error.message)));
    } else await step.run();
  }
  await Promise.all(background);
  await sleepUntil(last.end, run.signal, run.progress);
}

async function sleepUntil(at: number, signal: AbortSignal, progress: Progress): Promise<void> {
  while (Date.now() < at) {
    signal.throwIfAborted();
    await sleep(Math.min(1_000, at - Date.now()), undefined, { signal });
    await progress.tick();
  }
}
