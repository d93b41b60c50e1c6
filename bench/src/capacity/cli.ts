/**
 * `npm run capacity [-- --quick] [--steps 100,250,500,1000,1500,2000] [--ramp 20] [--hold 60]
 *  [--think tpcw] [--stress-factor 2] [--no-stress] [--shop lab|direct|bare] [--out <dir>]`
 * How many concurrent shoppers the shop serves on this machine: a staircase of seeded shoppers (k6,
 * journey.js, each VU a person who thinks between steps), every step held until steady; the knee is the
 * largest step, with every step below it, where under 1 % of requests failed (shed ones count) and
 * checkout's p95 stayed under the 0.5 s SLO. Then the stress run: twice the knee's shoppers for a
 * minute, judged on goodput and on no 5xx but documented shedding; then the auditor. Writes
 * reports/capacity/<stamp>/ (capacity.json, capacity.md/.html, capacity.pt-BR.md/.html, figures/).
 * Default run: about 12 minutes; --quick (CI's smoke): about a minute, figures not meaningful.
 * `--shop`: `lab` (default) measures the stack as it runs for experiments, Toxiproxy on every edge and
 * every request traced; `direct` the same services wired straight to their datastores (the benchmark's
 * instances); `bare` those without tracing: what the lab's instruments cost in shoppers.
 */
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { audit, parkedBefore } from '@confeitaria/chaos';
import { repoRoot } from '@confeitaria/stack/paths';
import { seedShoppers, signInShoppers } from '@confeitaria/stack/shoppers';
import { components, up } from '@confeitaria/stack/stack';
import { type DirectShop, startDirectShop } from '../direct-shop';
import { BenchProgress } from '../progress';
import { describeThink } from './i18n';
import { renderCapacity } from './report';
import type { CapacityResult, CapacityStep } from './result';
import { kneeOf, runStaircase, type StaircasePlan, unexpectedErrors } from './staircase';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    steps: { type: 'string' },
    ramp: { type: 'string' },
    hold: { type: 'string' },
    think: { type: 'string', default: process.env.THINK ?? 'tpcw' },
    'stress-factor': { type: 'string', default: '2' },
    'no-stress': { type: 'boolean', default: false },
    shop: { type: 'string', default: 'lab' },
    out: { type: 'string' },
  },
});

function commit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

const positive = (text: string | undefined, fallback: number, what: string) => {
  const value = text === undefined ? fallback : Number(text);
  if (!(Number.isFinite(value) && value > 0)) throw new Error(`--${what} must be a positive number, not ${text}`);
  return value;
};

const shops = ['lab', 'direct', 'bare'] as const;
const isShop = (value: string): value is (typeof shops)[number] => (shops as readonly string[]).includes(value);

async function main(): Promise<number> {
  const quick = values.quick ?? false;
  const steps = (values.steps ?? (quick ? '5,10' : '100,250,500,1000,1500,2000')).split(',').map(Number);
  if (!steps.every((n) => Number.isInteger(n) && n > 0) || steps.some((n, i) => i > 0 && n <= (steps[i - 1] ?? 0)))
    throw new Error(`--steps must be increasing positive integers, not ${values.steps}`);
  const rampSeconds = positive(values.ramp, quick ? 5 : 20, 'ramp');
  const holdSeconds = positive(values.hold, quick ? 10 : 60, 'hold');
  const factor = positive(values['stress-factor'], 2, 'stress-factor');
  const think = values.think ?? 'tpcw';
  const stress = !values['no-stress'];
  const shop = values.shop ?? 'lab';
  if (!isShop(shop)) throw new Error(`--shop must be lab, direct or bare, not ${shop}`);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const outDir = values.out ?? join(repoRoot, 'reports', 'capacity', stamp);
  const stepSeconds = rampSeconds + holdSeconds;
  const progress = new BenchProgress(30 + steps.length * stepSeconds + (stress ? stepSeconds + 30 : 0) + 60);
  const sloCheckoutP95Seconds = 0.5;
  const maxFailedRatio = 0.01;
  const largest = steps[steps.length - 1] ?? 0;

  const healthy = (await Promise.all(components().map((c) => c.health()))).every((h) => h.ok);
  if (!healthy) {
    progress.step('stack', 'starting it');
    await up();
  }
  progress.step('shoppers', `seeding shopper-1 … shopper-${largest} (reused by later runs)`, 30);
  const seeded = await seedShoppers(largest);
  progress.step('shoppers', `${seeded.alreadyThere} were there, ${seeded.registered} registered`);
  const signInAll = async (count: number) => {
    progress.step('sign-in', `signing in ${count} shoppers before the run (sessions still open)`, 60);
    const result = await signInShoppers(count, {
      onProgress: (done) => progress.step('sign-in', `${done} of ${count} shoppers signed in`),
    });
    progress.step(
      'sign-in',
      `${result.count} signed in in ${result.seconds.toFixed(0)} s (${result.shedAndRetried} refusals waited out)`,
    );
    return result;
  };
  let signIn = await signInAll(largest);
  const parked = await parkedBefore();
  let direct: DirectShop | undefined;
  if (shop !== 'lab') {
    progress.step('shop', `starting the shop without Toxiproxy${shop === 'bare' ? ' and without tracing' : ''}`);
    direct = await startDirectShop({ telemetry: shop === 'direct', liftRateLimit: false });
    // k6 (stack/src/k6.ts) sends to BASE_URL when it is set.
    process.env.BASE_URL = direct.gateway;
  }
  const startedAt = new Date().toISOString();
  let staircase: Awaited<ReturnType<typeof runStaircase>>;
  let knee: ReturnType<typeof kneeOf>;
  let stressResult: CapacityResult['stress'];
  const ledgers: string[] = [];
  try {
    const plan = (name: string, planSteps: number[], hold: number): StaircasePlan => ({
      steps: planSteps,
      rampSeconds,
      holdSeconds: hold,
      think,
      shoppers: planSteps[planSteps.length - 1] ?? 1,
      sloCheckoutP95Seconds,
      maxFailedRatio,
      outDir: join(outDir, name),
      testId: `${stamp}-capacity-${name}`,
      tokensFile: signIn.file,
      onProgress: (line) => progress.step(name, line),
    });

    progress.step(
      'staircase',
      `${steps.join(' → ')} shoppers, each reached in ${rampSeconds} s and held ${holdSeconds} s`,
    );
    staircase = await runStaircase(plan('staircase', steps, holdSeconds));
    progress.step('staircase', 'done', steps.length * stepSeconds);
    knee = kneeOf(staircase.steps);
    for (const step of staircase.steps)
      console.log(
        `  ${step.held ? '✓' : '✗'} ${String(step.shoppers).padStart(5)} shoppers: ${step.requestsPerSecond.toFixed(1)} req/s, ${step.ordersCompletedPerSecond.toFixed(1)} orders/s completed, ${(step.failedRatio * 100).toFixed(2)} % failed, checkout p95 ${(step.checkoutP95Seconds * 1000).toFixed(0)} ms`,
      );

    ledgers.push(...staircase.k6.ledger);
    if (stress && knee) {
      const shoppers = Math.round(knee.shoppers * factor);
      if (shoppers > signIn.count) {
        await seedShoppers(shoppers);
        signIn = await signInAll(shoppers);
      }
      progress.step('stress', `${shoppers} shoppers (${factor} × the knee) for ${holdSeconds} s`);
      const run = await runStaircase(plan('stress', [shoppers], holdSeconds));
      ledgers.push(...run.k6.ledger);
      const step = run.steps[0] as CapacityStep;
      // A knee that completed nothing (a --quick run's few seconds) has no goodput to compare with: 0.
      const goodputRatio =
        knee.ordersCompletedPerSecond > 0 ? step.ordersCompletedPerSecond / knee.ordersCompletedPerSecond : 0;
      const unexpected = unexpectedErrors(step);
      stressResult = {
        factor,
        step,
        goodputRatio,
        minGoodputRatio: 0.9,
        unexpectedErrors: unexpected,
        ok: goodputRatio >= 0.9 && unexpected === 0,
      };
      console.log(
        `  ${stressResult.ok ? '✓' : '✗'} stress: ${step.ordersCompletedPerSecond.toFixed(1)} orders/s completed = ${(goodputRatio * 100).toFixed(0)} % of the knee's; ${unexpected} unexpected errors; ${(step.shedRatio * 100).toFixed(1)} % shed`,
      );
    } else if (stress) {
      progress.step('stress', 'skipped: no step held, so there is no knee to double');
    }
  } finally {
    if (direct) {
      progress.step('shop', "putting the stack's own services back");
      delete process.env.BASE_URL;
      await direct.stop();
    }
  }
  progress.step('audit', `waiting for the saga to settle, then checking ${ledgers.length} accepted orders`, 60);
  const report = await audit({ ledger: ledgers, settleMs: 180_000, parkedBefore: parked });
  const result: CapacityResult = {
    schema: 'confeitaria.capacity/1',
    startedAt,
    endedAt: new Date().toISOString(),
    quick,
    machine: {
      cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      commit: commit(),
    },
    command: `npm run capacity -- --steps ${steps.join(',')} --ramp ${rampSeconds} --hold ${holdSeconds} --think ${think}${stress ? ` --stress-factor ${factor}` : ' --no-stress'}${shop === 'lab' ? '' : ` --shop ${shop}`}`,
    profile: {
      steps,
      rampSeconds,
      holdSeconds,
      think: { model: think, description: describeThink(think, 'en') },
      sloCheckoutP95Seconds,
      maxFailedRatio,
      shop,
    },
    steps: staircase.steps,
    knee: knee
      ? {
          shoppers: knee.shoppers,
          ordersCompletedPerSecond: knee.ordersCompletedPerSecond,
          requestsPerSecond: knee.requestsPerSecond,
        }
      : null,
    signIn: { count: signIn.count, seconds: signIn.seconds, shedAndRetried: signIn.shedAndRetried },
    arrival: staircase.arrival.logins > 0 ? staircase.arrival : undefined,
    stress: stressResult,
    audit: {
      ok: report.ok,
      results: report.results.map(({ id, name, ok, checked, violations }) => ({ id, name, ok, checked, violations })),
    },
    k6: {
      exitCode: staircase.k6.exitCode,
      summaryFile: staircase.k6.summaryFile,
      ledgerOrders: ledgers.length,
    },
  };
  const written = await renderCapacity(result, outDir);
  console.log(
    `\nknee: ${knee ? `${knee.shoppers} concurrent shoppers (${knee.ordersCompletedPerSecond.toFixed(1)} orders/s completed, ${knee.requestsPerSecond.toFixed(0)} req/s)` : 'none: the first step did not hold'}`,
  );
  console.log(`auditor: ${report.ok ? 'all invariants hold' : 'INVARIANTS VIOLATED'}`);
  console.log(`report: ${written.files.find((file) => file.endsWith('capacity.md')) ?? outDir}`);
  return report.ok ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    console.error(`\n✗ capacity failed: ${error.message}`);
    process.exitCode = 1;
  },
);
