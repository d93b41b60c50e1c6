/**
 * One experiment, start to finish: load starts; baseline; the method's faults applied and rolled back
 * on time; recovery; then the auditor, the probes and charts read from Prometheus, and run.json. The
 * rollbacks run whatever happens (error, Ctrl-C, timeout) before anything is written.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runK6 } from '@confeitaria/stack/dist/src/k6';
import { audit, parkedBefore } from '../audit/auditor';
import type { PhaseName, PhaseWindow, RunConfig, RunResult } from '../run-result';
import type { MethodStep, Scenario } from '../scenario';
import { slowestRequests } from '../traces/trace-file';
import { CartWritesMeter } from './cart-writes-meter';
import { crashWindowRequests } from './crash-windows';
import { environment } from './environment';
import { type AppliedFault, FaultInjector } from './fault-injector';
import { FaultSignal } from './fault-signal';
import { k6Outcome } from './k6-outcome';
import type { ProcessDriver } from './process-driver';
import { explainChanges, ProcessWatch } from './process-watch';
import { Progress } from './progress';
import { range } from './prometheus-client';
import { readTimeline, withTestId } from './timeline';
import { judgeProbe, timeToDetect, timeToRecover } from './verdict';

export interface RunOptions {
  scenario: Scenario;
  method: MethodStep[];
  config: RunConfig;
  outDir: string;
  command: string;
  processes: ProcessDriver;
  /** Aborting (Ctrl-C, timeout) cuts the run short; rollbacks and the report still happen. */
  signal: AbortSignal;
}

interface Timed {
  at: number;
  run: () => Promise<void>;
  /** Rollbacks run in the background: a process coming back (and waiting to be healthy) must not hold
   * up the faults timed after it. Applies are awaited: a fault that cannot be applied stops the run. */
  background?: boolean;
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

export async function runScenario(options: RunOptions): Promise<RunResult> {
  const { scenario, config, signal } = options;
  mkdirSync(options.outDir, { recursive: true });
  const testId = `chaos-${scenario.name}-${Date.now()}`;
  const parked = await parkedBefore();
  const injector = new FaultInjector(options.processes);
  const faultSignal = new FaultSignal(scenario.name);
  await faultSignal.start();
  const watch = new ProcessWatch(options.processes);
  await watch.start();
  const cartWrites = scenario.losses?.includes('cart-writes') ? new CartWritesMeter() : undefined;
  const startedAt = new Date();
  const t0 = Date.now() + 2_000; // k6 needs a moment to register its shoppers
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
  const [baseline, fault, recovery] = phases as [PhaseWindow, PhaseWindow, PhaseWindow];
  const load = new AbortController();
  signal.addEventListener('abort', () => load.abort(), { once: true });
  const k6 = runK6(scenario.load.script, {
    profile: 'chaos',
    outDir: join(options.outDir, 'k6'),
    testId,
    quiet: true,
    signal: load.signal,
    env: { RATE: String(config.rate), DURATION: `${Math.round((recovery.end - Date.now()) / 1000)}s` },
  });
  const progress = new Progress(scenario.name, phases, testId, () => injector.active());
  let aborted: string | undefined;
  const rollbackErrors: string[] = [];
  const measurementErrors: string[] = [];
  try {
    const steps = timetable(options.method, fault, injector, faultSignal).sort((a, b) => a.at - b.at);
    const marks: Timed[] = phases.map((phase) => ({
      at: phase.start,
      run: async () => faultSignal.enterPhase(phase.name),
    }));
    // The cart writer starts a few seconds before the first fault, on an empty cart of its own.
    if (cartWrites) {
      marks.push({
        at: fault.start - 5_000,
        run: async () => {
          await cartWrites.prepare();
          cartWrites.start();
        },
      });
    }
    const background: Promise<void>[] = [];
    for (const step of [...marks, ...steps].sort((a, b) => a.at - b.at)) {
      await sleepUntil(step.at, signal, progress);
      if (step.background) background.push(step.run().catch((error: Error) => void rollbackErrors.push(error.message)));
      else await step.run();
    }
    await Promise.all(background);
    await sleepUntil(recovery.end, signal, progress);
  } catch (error) {
    aborted = signal.aborted ? String(signal.reason ?? 'interrupted') : (error as Error).message;
  } finally {
    progress.stop();
    await cartWrites?.stop();
    rollbackErrors.push(...(await injector.rollbackAll()));
    for (const note of injector.notes) console.log(`  note: ${note}`);
    for (const made of injector.applied) faultSignal.faultChanged(made);
  }
  // k6 stops by itself at the end of recovery; a run cut short stops it (k6 still writes its summary).
  if (aborted) load.abort();
  const stopLoad = setTimeout(() => load.abort(), 30_000);
  const k6Result = await k6;
  clearTimeout(stopLoad);
  const endedAt = new Date();
  console.log(`\n▸ auditing ${k6Result.ledger.length} accepted orders (waiting for the saga to settle)`);
  const auditReport = await audit({
    ledger: k6Result.ledger,
    settleMs: 120_000,
    parkedBefore: parked,
    onWait: (pending, moving, left) =>
      progress.note(`settling: ${pending} PENDING, ${moving} in flight, ${left} s left`),
  });
  faultSignal.enterPhase('recovery');
  await faultSignal.stop(0);
  const cleanedUpAt = Date.now();
  const processChanges = await watch.stop();
  const cartWritesLoss = cartWrites
    ? await cartWrites.result().catch((error: Error) => {
        measurementErrors.push(`cart-writes meter: ${error.message}`);
        return undefined;
      })
    : undefined;
  // Remote-written and scraped samples land a few seconds late: read the probes once they are in.
  await sleep(Math.max(0, recovery.end + 8_000 - Date.now()));
  const end = Math.min(recovery.end, endedAt.getTime());
  console.log('▸ reading probes and charts from Prometheus');
  const judgedPhases = phases
    .filter((phase) => phase.start < end)
    .map((phase) => ({ ...phase, end: Math.min(phase.end, end) }));
  const probeSamples = await Promise.all(
    scenario.probes.map(async (probe) => {
      const [series] = await range(withTestId(probe.query, testId), baseline.start, end, 2);
      return { probe, samples: series?.points ?? [] };
    }),
  );
  const probes = probeSamples.map(({ probe, samples }) => judgeProbe(probe, samples, judgedPhases));
  const applied = injector.applied;
  const firstFault = Math.min(...applied.map((made) => made.start));
  const lastFaultEnd = Math.max(...applied.map((made) => made.end ?? Date.now()));
  const faultWindows = applied.map(({ id, kind, target, detail, start, end: faultEnd }) => ({
    id,
    kind,
    target,
    detail,
    start,
    end: faultEnd ?? end,
  }));
  // A process the run touched may come back late, when the final rollback restarts it after every fault.
  const processFaults = [
    ...applied,
    ...applied.map((made) => ({
      id: `${made.id} (rollback)`,
      target: made.target,
      start: made.start,
      end: cleanedUpAt,
    })),
  ];
  const result: RunResult = {
    schema: 'confeitaria.chaos-run/1',
    scenario: { name: scenario.name, title: scenario.title, hypothesis: scenario.hypothesis, proves: scenario.proves },
    startedAt: startedAt.toISOString(),
    endedAt: endedAt.toISOString(),
    config,
    phases,
    faults: faultWindows,
    probes,
    timeline: await readTimeline(testId, baseline.start - 5_000, end, 2),
    timeToDetectS: applied.length ? timeToDetect(probeSamples, firstFault, end) : null,
    timeToRecoverS: applied.length ? timeToRecover(probeSamples, lastFaultEnd, end) : null,
    k6: k6Outcome(k6Result, scenario.load.script),
    audit: auditReport,
    slowestTraces: await slowestRequests(baseline.start, end).catch(() => []),
    environment: environment(options.processes.mode),
    command: options.command,
    verdict: { ok: false, reasons: [] },
    ...(aborted ? { aborted } : {}),
    losses: {
      crashWindows: await crashWindowRequests(testId, faultWindows).catch(() => []),
      ...(cartWritesLoss ? { cartWrites: cartWritesLoss } : {}),
    },
    processEvents: explainChanges(processChanges, processFaults, cleanedUpAt),
  };
  result.verdict = verdictOf(result, rollbackErrors, measurementErrors);
  writeFileSync(join(options.outDir, 'run.json'), `${JSON.stringify(result, null, 2)}\n`);
  return result;
}

function verdictOf(result: RunResult, rollbackErrors: string[], measurementErrors: string[]): RunResult['verdict'] {
  const reasons: string[] = [];
  if (result.aborted) reasons.push(`run interrupted: ${result.aborted}`);
  for (const error of rollbackErrors) reasons.push(`rollback failed: ${error}`);
  for (const error of measurementErrors) reasons.push(`measurement failed: ${error}`);
  for (const probe of result.probes) {
    for (const phase of probe.phases.filter((p) => !p.ok)) {
      const bound = [
        phase.tolerance.min !== undefined ? `≥ ${phase.tolerance.min}` : '',
        phase.tolerance.max !== undefined ? `≤ ${phase.tolerance.max}` : '',
      ]
        .filter(Boolean)
        .join(' and ');
      reasons.push(
        `${probe.name} in ${phase.phase}: observed ${phase.observed ?? 'no data'}, expected ${bound} (${phase.tolerance.mode})`,
      );
    }
  }
  for (const event of result.processEvents ?? []) {
    if (event.cause) continue;
    const log = event.lastLog?.filter(Boolean).slice(-3).join(' | ');
    reasons.push(
      `${event.process} ${event.change} unexpectedly at ${new Date(event.at).toISOString()} (${event.from ?? '-'} → ${event.to ?? '-'})${log ? `; last log: ${log}` : ''}`,
    );
  }
  for (const invariant of result.audit.results.filter((r) => !r.ok)) {
    reasons.push(`invariant ${invariant.id} (${invariant.name}) violated: ${invariant.violations.join('; ')}`);
  }
  return { ok: reasons.length === 0, reasons };
}

async function sleepUntil(at: number, signal: AbortSignal, progress: Progress): Promise<void> {
  while (Date.now() < at) {
    signal.throwIfAborted();
    await sleep(Math.min(1_000, at - Date.now()), undefined, { signal });
    await progress.tick();
  }
}
