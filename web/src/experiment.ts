/**
 * What the demo panel knows about chaos experiments (GET /demo/state, from the chaos runner's metrics:
 * services/gateway/src/http/storefront-routes.ts), and the classroom mode's prediction: what the
 * audience wrote down before an experiment, kept in this browser, and how it compares with the outcome.
 */

/** The newest experiment that ended, as its runner exported it once judged. */
export interface LastRun {
  scenario: string;
  run: string;
  /** PASS, FAIL, INVALID (not judged) or ABORTED. */
  verdict: string;
  endedAt: string;
  auditClean?: boolean;
  failedRatio?: number;
  p95Ms?: number;
  /** Absent when the probes did not all come back within the recovery phase, or nothing was judged. */
  recoveryS?: number;
  acceptedOrders?: number;
}

export interface DemoState {
  experiment: { scenario: string; phase: string } | null;
  faults: { scenario: string; fault: string; kind: string; target: string }[];
  lastRun: LastRun | null;
}

/** What the audience expects of the next experiment; the figures are optional. */
export interface Prediction {
  /** When it was written down (epoch ms): the first run that ends after it is its outcome. */
  at: number;
  verdict: 'PASS' | 'FAIL';
  auditClean: boolean;
  failedPct?: number;
  p95Ms?: number;
  recoveryS?: number;
  /** The experiment and its phase when it was written down, when one was already running. */
  during?: { scenario: string; phase: string };
}

const storageKey = 'confeitaria.prediction';

const optionalNumber = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/** The prediction this browser keeps, or undefined (none, or something that is not one). */
export function savedPrediction(): Prediction | undefined {
  try {
    const raw = JSON.parse(localStorage.getItem(storageKey) ?? 'null') as Record<string, unknown> | null;
    if (!raw || typeof raw.at !== 'number' || (raw.verdict !== 'PASS' && raw.verdict !== 'FAIL')) return undefined;
    if (typeof raw.auditClean !== 'boolean') return undefined;
    const during = raw.during as Prediction['during'];
    return {
      at: raw.at,
      verdict: raw.verdict,
      auditClean: raw.auditClean,
      failedPct: optionalNumber(raw.failedPct),
      p95Ms: optionalNumber(raw.p95Ms),
      recoveryS: optionalNumber(raw.recoveryS),
      ...(during && typeof during.scenario === 'string' && typeof during.phase === 'string' ? { during } : {}),
    };
  } catch {
    return undefined;
  }
}

export function savePrediction(prediction: Prediction | undefined): void {
  if (prediction) localStorage.setItem(storageKey, JSON.stringify(prediction));
  else localStorage.removeItem(storageKey);
}

/** The run that answers a prediction: the newest one, when it ended after the prediction was written. */
export function outcomeOf(prediction: Prediction, lastRun: LastRun | null): LastRun | undefined {
  return lastRun && Date.parse(lastRun.endedAt) > prediction.at ? lastRun : undefined;
}

export type Measure = 'verdict' | 'audit' | 'failed' | 'p95' | 'recovery';

/** One line of "prediction against outcome"; `hit` is undefined when nothing was predicted or measured. */
export interface Comparison {
  measure: Measure;
  predicted: number | boolean | string | undefined;
  measured: number | boolean | string | undefined;
  hit: boolean | undefined;
}

/**
 * How close a predicted figure must be to count: within a quarter of the measured value, or within a
 * floor for small values (1 percentage point, 100 ms, 5 s), whichever is wider. A class guessing
 * "about 400 ms" for a measured 350 ms got it right; 2 s did not.
 */
export const tolerance = { share: 0.25, failedPct: 1, p95Ms: 100, recoveryS: 5 } as const;

function near(predicted: number | undefined, measured: number | undefined, floor: number): boolean | undefined {
  if (predicted === undefined) return undefined;
  if (measured === undefined) return false;
  return Math.abs(predicted - measured) <= Math.max(floor, tolerance.share * Math.abs(measured));
}

/** Prediction against outcome, measure by measure. An unjudged run (INVALID, ABORTED) answers nothing but its verdict. */
export function compare(prediction: Prediction, outcome: LastRun): Comparison[] {
  const judged = outcome.verdict === 'PASS' || outcome.verdict === 'FAIL';
  const failedPct = outcome.failedRatio === undefined ? undefined : outcome.failedRatio * 100;
  return [
    {
      measure: 'verdict',
      predicted: prediction.verdict,
      measured: outcome.verdict,
      hit: prediction.verdict === outcome.verdict,
    },
    {
      measure: 'audit',
      predicted: prediction.auditClean,
      measured: outcome.auditClean,
      hit: outcome.auditClean === undefined ? undefined : prediction.auditClean === outcome.auditClean,
    },
    {
      measure: 'failed',
      predicted: prediction.failedPct,
      measured: failedPct,
      hit: judged ? near(prediction.failedPct, failedPct, tolerance.failedPct) : undefined,
    },
    {
      measure: 'p95',
      predicted: prediction.p95Ms,
      measured: outcome.p95Ms,
      hit: judged ? near(prediction.p95Ms, outcome.p95Ms, tolerance.p95Ms) : undefined,
    },
    {
      measure: 'recovery',
      predicted: prediction.recoveryS,
      measured: outcome.recoveryS,
      hit: judged ? near(prediction.recoveryS, outcome.recoveryS, tolerance.recoveryS) : undefined,
    },
  ];
}
