/**
 * One experiment, start to finish: pre-flight (the shop settled); the load starts and, once its
 * setup() is over, the phases begin: baseline; the method's faults applied and rolled back on time;
 * recovery; then the auditor, the probes and charts read from Prometheus, and run.json. The rollbacks
 * run whatever happens (error, Ctrl-C, timeout) before anything is written.
 *
 * A run without a valid measurement is INVALID, never judged (issue 19): a shop that did not settle is
 * not experimented on; a load generator that never started, failed its setup() or exited before the
 * end of the recovery phase stops the run at once, and its faults are rolled back then and there.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { requestsCsvFile } from '@confeitaria/stack/k6';
import { audit, parkedBefore } from '../audit/auditor';
import type { PhaseWindow, RunConfig, RunResult } from '../run-result';
import type { MethodStep, Scenario } from '../scenario';
import { slowestRequests } from '../traces/trace-file';
import { CartWritesMeter } from './cart-writes-meter';
import { clientCharts, clientTimes, readClientRequests } from './client-timeline';
import { crashWindowRequests } from './crash-windows';
import { environment } from './environment';
import { FaultInjector } from './fault-injector';
import { FaultSignal } from './fault-signal';
import { noLoad, notJudged, notRunResult, scenarioInfo } from './invalid-run';
import { k6Outcome } from './k6-outcome';
import { InvalidMeasurement, LoadWatch } from './load-watch';
import { planPhases, runMethod, type Timed } from './method-timetable';
import { defaultBounds, preflight } from './preflight';
import type { ProcessDriver } from './process-driver';
import { explainChanges, ProcessWatch } from './process-watch';
import { Progress } from './progress';
import { range } from './prometheus-client';
import { RunLease } from './run-lease';
import { verdictOf } from './run-verdict';
import { StallWatch } from './stall-watch';
import { readTimeline, withTestId } from './timeline';
import { readTraceFigures } from './trace-figures';
import { invalidReason, proveToxics, validityChecks } from './validity';
import { judgeProbe, steadyBand, timeToDetect, timeToRecover } from './verdict';
import { prepareLoad, vuPool } from './vu-pool';

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

/** Seconds k6's setup() may spend retrying transient failures (SETUP_RETRY_S, default 30). */
const setupRetryS = Number(process.env.SETUP_RETRY_S ?? 30);
/** The longest the machine may stand still inside the phases before the run is INVALID (STALL_LIMIT_S, default 5 s). */
const stallLimitMs = Number(process.env.STALL_LIMIT_S ?? 5) * 1000;
/** How long the pre-flight waits for a settled shop (PREFLIGHT_S, default 120 s). */
const preflightBounds = { ...defaultBounds, boundMs: Number(process.env.PREFLIGHT_S ?? 120) * 1000 };

const write = (outDir: string, result: RunResult): RunResult => {
  writeFileSync(join(outDir, 'run.json'), `${JSON.stringify(result, null, 2)}\n`);
  return result;
};

/** A progress callback that prints at most every 5 s (the runner's output is often a log, not a terminal). */
function every5s<A extends unknown[]>(print: (seconds: number, ...rest: A) => void) {
  let last = Date.now();
  return (seconds: number, ...rest: A) => {
    if (Date.now() - last < 5_000) return;
    last = Date.now();
    print(seconds, ...rest);
  };
}

export async function runScenario(options: RunOptions): Promise<RunResult> {
  const { scenario } = options;
  mkdirSync(options.outDir, { recursive: true });
  const injector = new FaultInjector(options.processes);
  // One experiment at a time, and what a runner that died left behind put back first (run-lease.ts).
  const lease = await RunLease.take(scenario.name, options.processes, injector);
  if (typeof lease === 'string') {
    const { config, command, processes } = options;
    console.log(`\n▸ INVALID, not run: ${lease}`);
    return write(
      options.outDir,
      notRunResult({ scenario, config, command, mode: processes.mode, reason: lease, startedAt: new Date() }),
    );
  }
  // Announced from the pre-flight on, and to the end whatever happens: the demo panel follows it.
  const faultSignal = new FaultSignal(scenario.name);
  await faultSignal.start();
  try {
    const result = await runAnnounced(options, injector, faultSignal, lease);
    await faultSignal.finish(result, options.outDir);
    return result;
  } finally {
    await faultSignal.finish();
    lease.release();
  }
}

async function runAnnounced(
  options: RunOptions,
  injector: FaultInjector,
  faultSignal: FaultSignal,
  lease: RunLease,
): Promise<RunResult> {
  const { scenario, config, signal } = options;
  const preflightAt = new Date();
  const settled = await preflight({
    driver: options.processes,
    injector,
    signal,
    bounds: preflightBounds,
    onWait: every5s((seconds, failing: string[]) =>
      console.log(`  pre-flight: ${seconds} s, waiting for ${failing.join(', ')}`),
    ),
  });
  if (settled.kind === 'not-ready') {
    const { command, processes } = options;
    const mode = processes.mode;
    return write(
      options.outDir,
      notRunResult({ scenario, config, command, mode, reason: settled.reason, startedAt: preflightAt }),
    );
  }
  console.log(`  pre-flight: the shop is settled (${(settled.afterMs / 1000).toFixed(1)} s)`);
  const prepared = await prepareLoad(scenario.load.script, vuPool(config.rate, scenario.load.adminRate ?? 0)).catch(
    (error: Error) => error,
  );
  if (prepared instanceof Error) {
    const { command, processes } = options;
    const reason = `the load's shoppers could not be signed in: ${prepared.message}`;
    return write(
      options.outDir,
      notRunResult({ scenario, config, command, mode: processes.mode, reason, startedAt: preflightAt }),
    );
  }
  console.log(`  load: ${prepared.summary}`);
  const testId = `chaos-${scenario.name}-${Date.now()}`;
  const parked = await parkedBefore();
  const watch = new ProcessWatch(options.processes);
  await watch.start();
  const cartWrites = scenario.losses?.includes('cart-writes') ? new CartWritesMeter() : undefined;
  const startedAt = new Date();
  const { baselineS, faultS, recoveryS } = config;
  const load = new LoadWatch({
    script: scenario.load.script,
    outDir: join(options.outDir, 'k6'),
    testId,
    rate: config.rate,
    adminRate: scenario.load.adminRate ?? 0,
    // The phases start 2 s after setup; k6 outlasts them.
    durationS: baselineS + faultS + recoveryS + 4,
    setupRetryS,
    env: prepared.env,
    onSpawn: (pid) => lease.k6(pid),
  });
  signal.addEventListener('abort', () => load.stop(), { once: true });
  console.log(`  load: ${scenario.load.script} started, waiting for its setup()`);
  let phases: PhaseWindow[] = [];
  let progress: Progress | undefined;
  let aborted: string | undefined;
  let invalid: string | undefined;
  const rollbackErrors: string[] = [];
  const measurementErrors: string[] = [];
  const stalls = new StallWatch();
  stalls.start();
  try {
    const setupDone = await load.started(
      signal,
      every5s((seconds) => console.log(`  load: setup() still running after ${seconds} s`)),
    );
    phases = planPhases(setupDone + 2_000, config);
    load.watch(phases);
    const [, fault] = phases as [PhaseWindow, PhaseWindow, PhaseWindow];
    progress = new Progress(scenario.name, phases, testId, () => injector.active());
    const marks: Timed[] = phases.map((phase) => ({
      at: phase.start,
      run: async () => faultSignal.enterPhase(phase.name),
    }));
    // No fault goes into a shop whose load is not being measured.
    marks.push({ at: fault.start - 1_000, run: () => load.assertMeasured() });
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
    const runSignal = AbortSignal.any([signal, load.invalidated]);
    await runMethod({
      phases,
      method: options.method,
      injector,
      faultSignal,
      marks,
      signal: runSignal,
      progress,
      rollbackErrors,
    });
  } catch (error) {
    if (signal.aborted) aborted = String(signal.reason ?? 'interrupted');
    else if (error instanceof InvalidMeasurement) invalid = error.message;
    else if (load.invalidated.aborted) invalid = String(load.invalidated.reason);
    else aborted = (error as Error).message;
  } finally {
    stalls.stop();
    progress?.stop();
    await cartWrites?.stop();
    rollbackErrors.push(...(await injector.rollbackAll()));
    for (const note of injector.notes) console.log(`  note: ${note}`);
    for (const made of injector.applied) faultSignal.faultChanged(made);
  }
  // A machine that stood still inside the phases measured nothing then (stall-watch.ts).
  const origin = phases[0]?.start;
  const stall =
    origin === undefined ? undefined : stalls.longestWithin(origin, phases.at(-1)?.end ?? origin, stallLimitMs);
  if (!invalid && !aborted && stall && origin !== undefined) {
    const phase = phases.find((p) => stall.at - stall.ms < p.end && stall.at >= p.start)?.name ?? 'between phases';
    invalid = `the machine stood still for ${(stall.ms / 1000).toFixed(1)} s, until t = ${Math.round((stall.at - origin) / 1000)} s (${phase}): nothing was served or measured then, and the faults ran late (STALL_LIMIT_S ${stallLimitMs / 1000})`;
  }
  if (invalid) console.log(`\n▸ INVALID: ${invalid}\n  every fault rolled back; the run is not judged`);
  // k6 stops by itself at the end of recovery; a run cut short stops it (k6 still writes its summary).
  if (aborted || invalid) load.stop();
  const stopLoad = setTimeout(() => load.stop(), 30_000);
  const k6Result = await load.result.catch(() => undefined);
  clearTimeout(stopLoad);
  const endedAt = new Date();
  // The load is over: the auditor and the probes decide the verdict now.
  faultSignal.enterPhase('judging');
  /** Ends the watches once the shop has settled (or the run is not judged): process events, cart losses. */
  const close = async () => {
    const cleanedUpAt = Date.now();
    const processChanges = await watch.stop();
    // A process the run touched may come back late, when the final rollback restarts it after every fault.
    const processFaults = [
      ...injector.applied,
      ...injector.applied.map((made) => ({ ...made, id: `${made.id} (rollback)`, end: cleanedUpAt })),
    ];
    const cartWritesLoss = await cartWrites?.result().catch((error: Error) => {
      measurementErrors.push(`cart-writes meter: ${error.message}`);
      return undefined;
    });
    return { processEvents: explainChanges(processChanges, processFaults, cleanedUpAt), cartWritesLoss };
  };
  const lastPhaseEnd = phases[phases.length - 1]?.end ?? endedAt.getTime();
  const end = Math.min(lastPhaseEnd, endedAt.getTime());
  const applied = injector.applied;
  const faultWindows = applied.map(({ id, kind, target, detail, start, end: faultEnd, proof }) => ({
    id,
    kind,
    target,
    detail,
    start,
    end: faultEnd ?? end,
    ...(proof ? { proof } : {}),
  }));
  const baselineStart = phases[0]?.start ?? startedAt.getTime();
  const common = {
    schema: 'confeitaria.chaos-run/1' as const,
    scenario: scenarioInfo(scenario),
    startedAt: startedAt.toISOString(),
    endedAt: endedAt.toISOString(),
    config,
    phases,
    faults: faultWindows,
    k6: k6Result ? k6Outcome(k6Result, scenario.load.script) : noLoad(scenario.load.script),
    environment: environment(options.processes.mode),
    command: options.command,
    verdict: { ok: false, reasons: [] },
    ...(aborted ? { aborted } : {}),
  };
  if (invalid !== undefined) {
    const { processEvents } = await close();
    const timeline = phases.length ? await readTimeline(testId, baselineStart - 5_000, end, 2) : [];
    const result: RunResult = { ...common, ...notJudged(), timeline, invalid, processEvents };
    result.verdict = verdictOf(result, rollbackErrors, measurementErrors);
    return write(options.outDir, result);
  }

  console.log(`\n▸ auditing ${k6Result?.ledger.length ?? 0} accepted orders (waiting for the saga to settle)`);
  const auditReport = await audit({
    ledger: k6Result?.ledger ?? [],
    settleMs: 120_000,
    parkedBefore: parked,
    onWait: (pending, moving, left) =>
      progress?.note(`settling: ${pending} PENDING, ${moving} in flight, ${left} s left`),
  });
  const { processEvents, cartWritesLoss } = await close();
  // Remote-written and scraped samples land a few seconds late: read the probes once they are in.
  await sleep(Math.max(0, lastPhaseEnd + 8_000 - Date.now()));
  console.log('▸ reading probes and charts from Prometheus');
  const judgedPhases = phases
    .filter((phase) => phase.start < end)
    .map((phase) => ({ ...phase, end: Math.min(phase.end, end) }));
  const probeSamples = await Promise.all(
    scenario.probes.map(async (probe) => {
      const [series] = await range(withTestId(probe.query, testId), baselineStart, end, 2);
      return { probe, samples: series?.points ?? [] };
    }),
  );
  // Is this a measurement? (validity.ts) A run that fails a check is INVALID, not judged.
  const faults = await proveToxics(faultWindows, applied, phases, options.processes.mode);
  const generatorCpu = load.cpu.byPhase(phases);
  const validity = await validityChecks({
    k6: common.k6,
    generatorCpu,
    ...(load.cpu.unavailable ? { generatorUnavailable: load.cpu.unavailable } : {}),
    phases,
    faults,
    clockJumps: stalls.jumps,
  });
  for (const check of validity) console.log(`  validity ${check.ok ? 'ok  ' : 'FAIL'} ${check.check}: ${check.detail}`);
  const unmeasured = invalidReason(validity);
  if (unmeasured !== undefined) {
    console.log(`\n▸ INVALID: ${unmeasured}\n  the run is not judged`);
    const timeline = await readTimeline(testId, baselineStart - 5_000, end, 2);
    const result: RunResult = {
      ...common,
      faults,
      ...notJudged(),
      timeline,
      invalid: unmeasured,
      validity,
      generatorCpu,
      processEvents,
    };
    result.verdict = verdictOf(result, rollbackErrors, measurementErrors);
    return write(options.outDir, result);
  }
  const firstFault = Math.min(...applied.map((made) => made.start));
  const lastFaultEnd = Math.max(...applied.map((made) => made.end ?? Date.now()));
  const probes = probeSamples.map(({ probe, samples }) => judgeProbe(probe, samples, judgedPhases));
  const steady = probes.map((probe, i) => ({ steady: steadyBand(probe), samples: probeSamples[i]?.samples ?? [] }));
  // The same two times as the shoppers saw them, from k6's own per-request timings (client-timeline.ts).
  const requests = await readClientRequests(requestsCsvFile(join(options.outDir, 'k6'))).catch((error: Error) => {
    console.log(`  client-side times unavailable: ${error.message}`);
    return [];
  });
  const client = applied.length ? clientTimes(requests, judgedPhases, firstFault, lastFaultEnd, end) : undefined;
  if (client) {
    const at = (s: number | null) => (s === null ? 'never' : `${s} s`);
    console.log(
      `  client side (k6, ${client.requests} requests, 1 s bins): detected after ${at(client.timeToDetectS)}, recovered after ${at(client.timeToRecoverS)}`,
    );
  }
  const traceFigures = await readTraceFigures(options.processes.mode, judgedPhases).catch((error: Error) => {
    console.log(`  trace figures unavailable: ${error.message}`);
    return undefined;
  });
  const result: RunResult = {
    ...common,
    faults,
    validity,
    generatorCpu,
    probes,
    timeline: [
      ...(await readTimeline(testId, baselineStart - 5_000, end, 2)),
      ...(client ? clientCharts(requests, client, baselineStart, end) : []),
    ],
    timeToDetectS: applied.length ? timeToDetect(steady, firstFault, end) : null,
    timeToRecoverS: applied.length ? timeToRecover(steady, lastFaultEnd, end) : null,
    ...(client ? { clientTimes: client } : {}),
    audit: auditReport,
    slowestTraces: await slowestRequests(baselineStart, end).catch(() => []),
    ...(traceFigures ? { traceFigures } : {}),
    losses: {
      crashWindows: await crashWindowRequests(testId, faultWindows).catch(() => []),
      ...(cartWritesLoss ? { cartWrites: cartWritesLoss } : {}),
    },
    processEvents,
  };
  result.verdict = verdictOf(result, rollbackErrors, measurementErrors);
  return write(options.outDir, result);
}
