/**
 * One staircase of shoppers through k6 (loadtest/journey.js, profile `staircase`): each step reached
 * in `rampSeconds`, held `holdSeconds`; the script tags every request with the step it falls in, so
 * the summary holds per-step figures for the held windows only. Around it the harness samples the CPU
 * of every process of the stack (/proc) and reads the orders that finished per step from Prometheus.
 */

import { readFile } from 'node:fs/promises';
import { instantAt } from '@confeitaria/chaos/runner/prometheus-client';
import { type K6LogEntry, type K6Result, runK6 } from '@confeitaria/stack/k6';
import { runningInstances } from '../instances';
import { type CpuSnapshot, cpuBetween, cpuSnapshot } from '../process-tree';
import type { CapacityResult, CapacityStep, RouteLatency } from './result';

/** The routes of the journey, as the script names its requests. */
export const journeyRoutes = [
  'GET /api/products',
  'GET /api/products/:id',
  'POST /api/cart/items',
  'POST /api/orders',
  'GET /api/orders/:id',
] as const;

export interface StaircasePlan {
  steps: number[];
  rampSeconds: number;
  holdSeconds: number;
  think: string;
  /** Seeded shoppers the VUs sign in as (at least the largest step). */
  shoppers: number;
  /** Their tokens, signed in beforehand (stack's signInShoppers); without it every VU logs in as it arrives. */
  tokensFile?: string;
  sloCheckoutP95Seconds: number;
  maxFailedRatio: number;
  outDir: string;
  testId: string;
  onProgress?: (line: string) => void;
}

interface Summary {
  metrics: Record<string, Record<string, number>>;
}

export interface StaircaseRun {
  steps: CapacityStep[];
  arrival: NonNullable<CapacityResult['arrival']>;
  k6: K6Result;
}

const cpuEveryMs = 2_000;

export async function runStaircase(plan: StaircasePlan): Promise<StaircaseRun> {
  const stepSeconds = plan.rampSeconds + plan.holdSeconds;
  const samples: { at: number; snapshot: CpuSnapshot }[] = [];
  let startedAt: number | undefined;
  let sampler: NodeJS.Timeout | undefined;
  let sampling = false;
  const sample = async () => {
    if (sampling) return;
    sampling = true;
    try {
      samples.push({ at: Date.now(), snapshot: await cpuSnapshot(runningInstances()) });
    } finally {
      sampling = false;
    }
  };
  const onLog = (entry: K6LogEntry) => {
    if (startedAt !== undefined || entry.source !== 'console' || !entry.msg.includes('"setup"')) return;
    startedAt = Date.now();
    void sample();
    sampler = setInterval(() => void sample(), cpuEveryMs);
  };
  let lastReport = 0;
  const progress = setInterval(() => {
    if (startedAt === undefined) return;
    const elapsed = (Date.now() - startedAt) / 1000;
    const index = Math.min(plan.steps.length - 1, Math.floor(elapsed / stepSeconds));
    const inStep = elapsed - index * stepSeconds;
    const phase = inStep < plan.rampSeconds ? 'arriving' : 'held';
    const left = Math.max(0, plan.steps.length * stepSeconds - elapsed);
    if (Date.now() - lastReport < 10_000) return;
    lastReport = Date.now();
    if (elapsed >= plan.steps.length * stepSeconds) {
      plan.onProgress?.(`every step measured; k6 is stopping (shoppers mid-request get 10 s, then the teardown)`);
      return;
    }
    plan.onProgress?.(
      `step ${index + 1}/${plan.steps.length}: ${plan.steps[index]} shoppers ${phase} (${Math.round(inStep)} s of ${stepSeconds} s), ~${Math.round(left)} s left`,
    );
  }, 1_000);
  let k6: K6Result;
  try {
    k6 = await runK6('journey', {
      profile: 'staircase',
      outDir: plan.outDir,
      testId: plan.testId,
      quiet: true,
      onLog,
      env: {
        STEPS: plan.steps.join(','),
        STEP_RAMP: `${plan.rampSeconds}s`,
        STEP_HOLD: `${plan.holdSeconds}s`,
        SHOPPERS: String(plan.shoppers),
        THINK: plan.think,
        ...(plan.tokensFile ? { CROWD_TOKENS: plan.tokensFile } : {}),
      },
    });
  } finally {
    clearInterval(progress);
    if (sampler) clearInterval(sampler);
  }
  const summary = JSON.parse(await readFile(k6.summaryFile, 'utf8')) as Summary;
  if (startedAt === undefined) throw new Error(`k6 never finished its setup; see ${plan.outDir}`);
  const origin = startedAt;
  const steps: CapacityStep[] = [];
  for (const [index, shoppers] of plan.steps.entries()) {
    const holdFrom = origin + (index * stepSeconds + plan.rampSeconds) * 1000;
    const holdTo = holdFrom + plan.holdSeconds * 1000;
    steps.push(await stepFigures(summary, shoppers, plan, samples, holdFrom, holdTo));
  }
  return { steps, arrival: arrivalFigures(summary), k6 };
}

const metric = (summary: Summary, name: string, tags: Record<string, string | number>) =>
  summary.metrics[
    `${name}{${Object.entries(tags)
      .map(([k, v]) => `${k}:${v}`)
      .join(',')}}`
  ];
const count = (summary: Summary, name: string, tags: Record<string, string | number>) =>
  metric(summary, name, tags)?.count ?? 0;

/**
 * Responses per status and shed responses per reason of one step, from every such submetric the
 * summary holds (journey.js asks k6 for them, see staircaseThresholds in loadtest/lib/profiles.js).
 */
function tally(summary: Summary, step: string | number) {
  const byStatus: Record<string, number> = {};
  const shedByReason: Record<string, number> = {};
  const pattern = new RegExp(`^(http_reqs|shed_responses)\\{step:${step},(status|reason):([^,}]+)\\}$`);
  for (const [key, values] of Object.entries(summary.metrics)) {
    const match = pattern.exec(key);
    const n = values.count ?? 0;
    if (!match || n === 0) continue;
    const into = match[2] === 'status' ? byStatus : shedByReason;
    into[match[3] as string] = n;
  }
  return { byStatus, shedByReason };
}

function arrivalFigures(summary: Summary): StaircaseRun['arrival'] {
  return {
    logins: count(summary, 'http_reqs', { step: 'arrival' }),
    ...tally(summary, 'arrival'),
    p95Seconds: (metric(summary, 'http_req_duration', { step: 'arrival' })?.['p(95)'] ?? 0) / 1000,
  };
}

/**
 * Orders that reached a terminal state between two instants, per second (server side): the counter's
 * growth between the scrapes at both ends; `increase()` only if the counter was reset in between (a
 * restarted orders service), since it extrapolates and a window of a few scrapes would skew it.
 */
async function completedPerSecond(fromMs: number, toMs: number): Promise<number> {
  const seconds = Math.max(1, (toMs - fromMs) / 1000);
  const total = async (at: number) => (await instantAt('sum(orders_finished_total) or vector(0)', at))[0]?.value ?? 0;
  const grown = (await total(toMs)) - (await total(fromMs));
  if (grown >= 0) return grown / seconds;
  const [series] = await instantAt(`sum(increase(orders_finished_total[${Math.round(seconds)}s]))`, toMs);
  return (series?.value ?? 0) / seconds;
}

async function stepFigures(
  summary: Summary,
  shoppers: number,
  plan: StaircasePlan,
  samples: { at: number; snapshot: CpuSnapshot }[],
  holdFrom: number,
  holdTo: number,
): Promise<CapacityStep> {
  const hold = plan.holdSeconds;
  const requests = count(summary, 'http_reqs', { step: shoppers });
  const failed = metric(summary, 'http_req_failed', { step: shoppers });
  const failedRatio = failed ? (failed.passes ?? 0) / Math.max(1, (failed.passes ?? 0) + (failed.fails ?? 0)) : 0;
  const { byStatus, shedByReason } = tally(summary, shoppers);
  const shed = Object.entries(shedByReason)
    .filter(([reason]) => reason !== 'unavailable')
    .reduce((sum, [, n]) => sum + n, 0);
  const routes: RouteLatency[] = journeyRoutes.map((route) => {
    const trend = metric(summary, 'http_req_duration', { step: shoppers, name: route });
    return {
      route,
      count: count(summary, 'http_reqs', { step: shoppers, name: route }),
      p50: (trend?.med ?? 0) / 1000,
      p95: (trend?.['p(95)'] ?? 0) / 1000,
      p99: (trend?.['p(99)'] ?? 0) / 1000,
    };
  });
  const checkoutP95Seconds = routes.find((r) => r.route === 'POST /api/orders')?.p95 ?? 0;
  const first = samples.find((s) => s.at >= holdFrom);
  const last = [...samples].reverse().find((s) => s.at <= holdTo);
  const cpu =
    first && last && last.at > first.at
      ? cpuBetween(first.snapshot, last.snapshot, (last.at - first.at) / 1000).map((share) => ({
          process: share.component,
          cores: share.cores,
        }))
      : [];
  const held = requests > 0 && failedRatio < plan.maxFailedRatio && checkoutP95Seconds < plan.sloCheckoutP95Seconds;
  return {
    shoppers,
    holdSeconds: hold,
    requestsPerSecond: requests / hold,
    journeysPerSecond: count(summary, 'iterations', { step: shoppers }) / hold,
    ordersAcceptedPerSecond: count(summary, 'orders_accepted', { step: shoppers }) / hold,
    ordersCompletedPerSecond: await completedPerSecond(holdFrom, holdTo),
    failedRatio,
    shedRatio: shed / Math.max(1, requests),
    byStatus,
    shedByReason,
    routes,
    cpu,
    checkoutP95Seconds,
    held,
  };
}

/** The largest step that held with every step below it held too. */
export function kneeOf(steps: CapacityStep[]): CapacityStep | undefined {
  let knee: CapacityStep | undefined;
  for (const step of steps) {
    if (!step.held) break;
    knee = step;
  }
  return knee;
}

/** Responses a well-run shop never gives under load: no answer, 5xx other than 503, 503 not shed. */
export const unexpectedErrors = (step: CapacityStep) =>
  (step.byStatus['0'] ?? 0) +
  (step.byStatus['500'] ?? 0) +
  (step.byStatus['502'] ?? 0) +
  (step.byStatus['504'] ?? 0) +
  (step.shedByReason.unavailable ?? 0);
