/**
 * `npm run chaos -- <command>`:
 *   list                               the catalogue (chaos/scenarios/)
 *   scenario <name> [options]          one experiment under load, then its report
 *   suite [names...] [options]         every scenario (or the named ones), then a suite report
 * Options: --duration <s> (total; phases scale), --rate <iterations/s>, --seed <n>, --lang en|pt-BR,
 *          --out <folder>, --dry-run (validate and print the plan, touch nothing),
 *          --trials <n> (n independent trials of the same experiment, each in trial-<k>/ with its own
 *          report, then trials.html with means, medians and 95 % intervals over the valid ones; for a
 *          suite, per scenario in <suite>/<scenario>/, then suite-trials.html over them all).
 * Before each scenario a pre-flight waits (up to PREFLIGHT_S) until the shop is settled; a scenario
 * whose shop did not settle, or whose load generator never started, failed its setup() or exited early,
 * is INVALID: not judged, reported as "not run", left out of a suite's score (issue 19).
 * Exit code: 0 every hypothesis held; 1 one did not; 3 none failed but one was not run (INVALID);
 *            130 interrupted (after rolling back); 2 error.
 * Environment: SETUP_RETRY_S (default 30), how long k6's setup() retries transient failures;
 *              PREFLIGHT_S (default 120), how long the pre-flight waits for the shop to settle.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '@confeitaria/stack/paths';
import { components, up, whereToLook } from '@confeitaria/stack/stack';
import { catalogue } from '../scenarios';
import { renderRun } from './report/render';
import { screenshotReport } from './report/screenshot';
import { renderSuite } from './report/suite';
import { renderSuiteTrials, renderTrials } from './report/trials';
import type { Lang, RunConfig, RunResult } from './run-result';
import { dockerProcessDriver } from './runner/docker-process-driver';
import { FaultInjector } from './runner/fault-injector';
import { localProcessDriver } from './runner/local-process-driver';
import type { ProcessDriver } from './runner/process-driver';
import { prometheusReady } from './runner/prometheus-client';
import { runScenario } from './runner/run-scenario';
import { type MethodStep, type Scenario, validateScenario } from './scenario';
import { seededRandom } from './seeded-random';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    duration: { type: 'string' },
    rate: { type: 'string' },
    seed: { type: 'string' },
    lang: { type: 'string', default: 'en' },
    out: { type: 'string' },
    trials: { type: 'string', default: '1' },
    'dry-run': { type: 'boolean', default: false },
  },
});

/** Docker mode (the runner's container sets CONFEITARIA_MODE=docker): faults act on compose containers. */
const processes: ProcessDriver =
  process.env.CONFEITARIA_MODE === 'docker'
    ? dockerProcessDriver({ project: process.env.COMPOSE_PROJECT_NAME })
    : localProcessDriver;

const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');

function configFor(scenario: Scenario, seed: number): RunConfig {
  const { baselineS, faultS, recoveryS } = scenario.phases;
  const scale = values.duration ? Number(values.duration) / (baselineS + faultS + recoveryS) : 1;
  if (!(scale > 0)) throw new Error(`--duration must be a positive number of seconds`);
  const lang = values.lang as Lang;
  if (lang !== 'en' && lang !== 'pt-BR') throw new Error(`--lang must be en or pt-BR`);
  const phases = [baselineS, faultS, recoveryS].map((seconds) => Math.round(seconds * scale));
  if (phases.some((seconds) => seconds < 20)) {
    throw new Error(
      `--duration ${values.duration} makes a phase shorter than 20 s: probes use 15 s windows, so it could not be judged`,
    );
  }
  const rate = values.rate ? Number(values.rate) : scenario.load.rate;
  if (!(rate > 0)) throw new Error('--rate must be a positive number of iterations per second');
  return {
    seed,
    rate,
    baselineS: phases[0] as number,
    faultS: phases[1] as number,
    recoveryS: phases[2] as number,
    lang,
  };
}

function find(name: string | undefined): Scenario {
  const scenario = catalogue.find((candidate) => candidate.name === name);
  if (!scenario) throw new Error(`unknown scenario "${name ?? ''}"; known: ${catalogue.map((s) => s.name).join(', ')}`);
  return scenario;
}

function describeStep(step: MethodStep, config: RunConfig): string {
  const from = Math.round(config.baselineS + step.at * config.faultS);
  const to = Math.round(config.baselineS + (step.until ?? 1) * config.faultS);
  const { fault } = step;
  const what =
    fault.kind === 'toxic'
      ? `${fault.toxic.type} ${JSON.stringify(fault.toxic.attributes)} on ${fault.proxies.join(', ')}`
      : fault.kind === 'disable'
        ? `disable ${fault.proxies.join(', ')}`
        : `${fault.kind} ${fault.process}`;
  return `  t=${from}s → ${to}s  ${what}`;
}

function command(scenario: Scenario, config: RunConfig): string {
  const total = config.baselineS + config.faultS + config.recoveryS;
  return `npm run chaos:scenario -- ${scenario.name} --duration ${total} --rate ${config.rate} --seed ${config.seed} --lang ${config.lang}`;
}

async function ensureStack(): Promise<void> {
  if (processes.mode === 'docker') return; // compose started it, with healthchecks
  const health = await Promise.all(components().map((component) => component.health()));
  if (health.every((h) => h.ok) && (await prometheusReady())) return;
  console.log('▸ the stack is not (fully) up: starting it');
  await up();
}

async function runOne(scenario: Scenario, seed: number, outDir: string, signal: AbortSignal): Promise<RunResult> {
  const config = configFor(scenario, seed);
  const method = typeof scenario.method === 'function' ? scenario.method(seededRandom(seed)) : scenario.method;
  const proxies = await new FaultInjector(processes).proxyNames();
  validateScenario(scenario, method, { proxies, processes: processes.names() });
  console.log(`\n▸ ${scenario.name}: ${scenario.title[config.lang]}`);
  console.log(`  ${scenario.hypothesis[config.lang]}`);
  console.log(
    `  load: ${scenario.load.script} at ${config.rate}/s · phases ${config.baselineS}/${config.faultS}/${config.recoveryS} s · seed ${seed}`,
  );
  for (const step of method) console.log(describeStep(step, config));
  if (values['dry-run']) return undefined as unknown as RunResult;
  const result = await runScenario({
    scenario,
    method,
    config,
    outDir,
    command: command(scenario, config),
    processes,
    signal,
  });
  const written = await renderRun(result, outDir, { lang: config.lang });
  const shot = await screenshotReport(join(outDir, 'report.html'), join(outDir, 'report.png'));
  const outcome = result.invalid
    ? '⚠ INVALID, not judged (not run)'
    : result.verdict.ok
      ? '✓ hypothesis held'
      : '✗ hypothesis FAILED';
  console.log(`${outcome}: ${scenario.name}`);
  for (const reason of result.verdict.reasons) console.log(`    ${reason}`);
  console.log(`  report: ${written.html}${shot ? ` (screenshot report.png, ${shot.chartCount} charts)` : ''}`);
  return result;
}

/** The longest one run may take: its phases, the pre-flight, k6's setup (≤ SETUP_RETRY_S + 60 s), the audit (≤ 120 s), the reading. */
function runLimitS(scenario: Scenario, seed: number): number {
  const { baselineS, faultS, recoveryS } = configFor(scenario, seed);
  const preflightS = Number(process.env.PREFLIGHT_S ?? 120);
  const setupS = Number(process.env.SETUP_RETRY_S ?? 30) + 60;
  return baselineS + faultS + recoveryS + preflightS + setupS + 210;
}

/**
 * `trials` runs of the same experiment (same seed, so the same faults at the same times), each in
 * `<dir>/trial-<k>/` with its own report and its own time limit, then the trials report in `<dir>`.
 */
async function runTrials(
  scenario: Scenario,
  seed: number,
  trials: number,
  dir: string,
  controller: AbortController,
): Promise<RunResult[]> {
  if (values['dry-run']) {
    console.log(`\n▸ ${trials} trials of:`);
    await runOne(scenario, seed, dir, controller.signal);
    return [];
  }
  const results: RunResult[] = [];
  const trialDirs: string[] = [];
  const started = Date.now();
  const limitS = runLimitS(scenario, seed);
  for (let trial = 1; trial <= trials && !controller.signal.aborted; trial++) {
    const elapsedS = (Date.now() - started) / 1000;
    const leftS = trial === 1 ? undefined : Math.round((elapsedS / (trial - 1)) * (trials - trial + 1));
    console.log(
      `\n▸ trial ${trial} of ${trials}${leftS === undefined ? '' : ` · about ${Math.ceil(leftS / 60)} min left`}`,
    );
    const trialDir = join(dir, `trial-${trial}`);
    const timeout = setTimeout(() => controller.abort('timeout'), limitS * 1000);
    try {
      results.push(await runOne(scenario, seed, trialDir, controller.signal));
      trialDirs.push(trialDir);
    } finally {
      clearTimeout(timeout);
    }
  }
  if (results.length === 0) return results;
  const written = await renderTrials(results, dir, { lang: values.lang as Lang, trialDirs });
  const counted = written.summary.valid.length;
  console.log(
    `\n▸ ${counted} of ${results.length} trials count${written.summary.excluded.map((e) => `\n    trial ${e.trial} left out: ${e.reason}`).join('')}`,
  );
  for (const metric of written.summary.metrics.slice(0, 9)) {
    const sm = metric.summary;
    if (!sm) continue;
    const ci = sm.meanInterval ? ` [${sm.meanInterval[0].toFixed(2)}, ${sm.meanInterval[1].toFixed(2)}]` : '';
    console.log(
      `  ${metric.label.en.padEnd(34)} mean ${sm.mean.toFixed(2)}${ci} ${metric.unit} · median ${sm.median.toFixed(2)}`,
    );
  }
  console.log(`  trials report: ${written.html}`);
  return results;
}

async function main(): Promise<number> {
  const [commandName, ...names] = positionals;
  if (commandName === 'list' || commandName === undefined) {
    for (const scenario of catalogue) {
      const { baselineS, faultS, recoveryS } = scenario.phases;
      console.log(
        `${scenario.name.padEnd(24)} ${String(baselineS + faultS + recoveryS).padStart(4)} s  ${scenario.title.en}`,
      );
    }
    return 0;
  }
  const controller = new AbortController();
  let interrupts = 0;
  process.on('SIGINT', () => {
    interrupts++;
    console.log(
      interrupts === 1 ? '\n▸ interrupted: rolling every fault back…' : '\n  still rolling back; please wait',
    );
    controller.abort('SIGINT');
  });
  process.on('SIGTERM', () => controller.abort('SIGTERM'));
  const seed = values.seed ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
  const trials = Number(values.trials);
  if (!Number.isInteger(trials) || trials < 1 || trials > 100)
    throw new Error('--trials must be a whole number from 1 to 100');
  const chosen = commandName === 'suite' ? (names.length ? names.map(find) : catalogue) : [find(names[0])];
  if (commandName !== 'suite' && commandName !== 'scenario') throw new Error(`unknown command ${commandName}`);
  if (!values['dry-run']) await ensureStack();
  const suiteDir =
    values.out ?? join(repoRoot, 'reports', `${stamp()}-${commandName === 'suite' ? 'suite' : chosen[0]?.name}`);
  const results: RunResult[] = [];
  const perScenario: { results: RunResult[]; dir: string }[] = [];
  for (const scenario of chosen) {
    if (controller.signal.aborted) break;
    const outDir = commandName === 'suite' ? join(suiteDir, scenario.name) : suiteDir;
    if (trials > 1) {
      const trialResults = await runTrials(scenario, seed, trials, outDir, controller);
      results.push(...trialResults);
      if (trialResults.length) perScenario.push({ results: trialResults, dir: outDir });
      continue;
    }
    const timeout = setTimeout(() => controller.abort('timeout'), runLimitS(scenario, seed) * 1000);
    try {
      results.push(await runOne(scenario, seed, outDir, controller.signal));
    } finally {
      clearTimeout(timeout);
    }
  }
  if (values['dry-run']) return 0;
  if (processes.mode === 'local') console.log(whereToLook());
  if (commandName === 'suite' && trials > 1 && perScenario.length > 0) {
    const suite = await renderSuiteTrials(perScenario, suiteDir, values.lang as Lang);
    console.log(`\nsuite of trials report: ${suite.html}`);
  } else if (commandName === 'suite' && results.length > 1) {
    const suite = await renderSuite(results, suiteDir, {
      lang: values.lang as Lang,
      reportsRoot: join(repoRoot, 'reports'),
    });
    console.log(`\nsuite report: ${suite.html}`);
  }
  if (controller.signal.aborted) return 130;
  if (results.some((result) => !result.invalid && !result.verdict.ok)) return 1;
  return results.some((result) => result.invalid) ? 3 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
    // Nothing else to wait for: open handles (keep-alive sockets) must not hold the exit.
    setTimeout(() => process.exit(code), 1_000).unref();
  },
  (error: Error) => {
    console.error(`\n✗ ${error.message}`);
    process.exitCode = 2;
  },
);
