/**
 * Judging a run from its samples (pure functions, unit-tested in chaos/test/verdict.test.ts).
 *
 * A probe whose query has a range window (`rate(...[15s])`) reflects only its own phase once that
 * window has passed: each phase is judged on [start + window, end], and shown whole on the charts. A
 * gauge (no range window) shows its phase from the first sample on, so it is judged from the start: a
 * replica that stops streaming for 12 s right after the primary dies must count, however quickly it
 * recovers (a faster machine once made database-crash miss exactly that).
 */
import type { PhaseWindow, ProbePhaseResult, ProbeResult, ResolvedTolerance, Tolerance } from '../run-result';
import type { Probe } from '../scenario';

/** The rate window of the probe queries: samples earlier than this into a phase still see the previous one. */
export const settleMs = 15_000;

const unitMs: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000 };

/** The longest range window in a PromQL query (`[15s]`, `[1m:5s]`), in ms; 0 for an instant gauge. */
export function rangeWindowMs(query: string): number {
  let longest = 0;
  for (const match of query.matchAll(/\[(\d+)([smh])(?::[^\]]*)?\]/g)) {
    longest = Math.max(longest, Number(match[1]) * (unitMs[match[2] ?? 's'] ?? 1_000));
  }
  return longest;
}

type Sample = [number, number | null];

export const within = (value: number, tolerance: Omit<Tolerance, 'mode'>) =>
  (tolerance.min === undefined || value >= tolerance.min) && (tolerance.max === undefined || value <= tolerance.max);

/** How far a value is from its tolerance (0 inside): orders samples from best to worst. */
const distance = (value: number, tolerance: Omit<Tolerance, 'mode'>) =>
  Math.max(
    tolerance.min !== undefined ? tolerance.min - value : 0,
    tolerance.max !== undefined ? value - tolerance.max : 0,
    0,
  );

/** The samples of a phase that reflect it alone: past the probe's range window into it, with a value. */
function judgedSamples(samples: Sample[], phase: PhaseWindow, settle: number): [number, number][] {
  return samples.filter(([t, v]) => t >= phase.start + settle && t <= phase.end && v !== null) as [number, number][];
}

/** The median of the baseline's judged samples: the level a relative tolerance is a multiple of. */
export function baselineLevel(samples: Sample[], baseline: PhaseWindow | undefined, settle = settleMs): number | null {
  if (!baseline) return null;
  const values = judgedSamples(samples, baseline, settle)
    .map(([, v]) => v)
    .sort((a, b) => a - b);
  if (!values.length) return null;
  const middle = Math.floor(values.length / 2);
  return values.length % 2
    ? (values[middle] as number)
    : ((values[middle - 1] as number) + (values[middle] as number)) / 2;
}

/**
 * Absolute bounds for a tolerance: a relative one (`ofBaseline`) becomes `times` × the baseline level
 * plus its min/max; without a level to scale (the baseline gave no data) it has no bounds, and holds
 * for no sample.
 */
export function resolveTolerance(tolerance: Tolerance, level: number | null): ResolvedTolerance {
  const { ofBaseline, ...bounds } = tolerance;
  if (!ofBaseline) return bounds;
  const offsets = {
    ...(bounds.min !== undefined ? { min: bounds.min } : {}),
    ...(bounds.max !== undefined ? { max: bounds.max } : {}),
  };
  const relative = { baseline: level, times: ofBaseline.times, ...offsets };
  if (level === null) return { mode: bounds.mode, relative };
  const scaled = Object.fromEntries(
    Object.entries(offsets).map(([key, offset]) => [key, ofBaseline.times * level + offset]),
  );
  return { ...scaled, mode: bounds.mode, relative };
}

export function judgePhase(
  samples: Sample[],
  phase: PhaseWindow,
  tolerance: ResolvedTolerance,
  settle = settleMs,
): ProbePhaseResult {
  const inPhase = samples.filter(([t]) => t >= phase.start && t <= phase.end);
  const judged = judgedSamples(samples, phase, settle);
  const base = { phase: phase.name, tolerance, samples: inPhase };
  const unresolved = tolerance.min === undefined && tolerance.max === undefined;
  if (judged.length === 0 || unresolved) return { ...base, ok: false, observed: null };
  const byDistance = [...judged].sort((a, b) => distance(a[1], tolerance) - distance(b[1], tolerance));
  const best = byDistance[0] as [number, number];
  const worst = byDistance[byDistance.length - 1] as [number, number];
  const last = judged[judged.length - 1] as [number, number];
  const decisive = tolerance.mode === 'all' ? worst : tolerance.mode === 'any' ? best : last;
  return { ...base, ok: within(decisive[1], tolerance), observed: decisive[1] };
}

export function judgeProbe(probe: Probe, samples: Sample[], phases: PhaseWindow[]): ProbeResult {
  const settle = rangeWindowMs(probe.query);
  const level = baselineLevel(
    samples,
    phases.find((phase) => phase.name === 'baseline'),
    settle,
  );
  const results = phases.flatMap((phase): ProbePhaseResult[] => {
    const tolerance = probe.tolerances[phase.name];
    if (!tolerance) return [];
    return [judgePhase(samples, phase, resolveTolerance(tolerance, level), settle)];
  });
  return {
    name: probe.name,
    title: probe.title,
    query: probe.query,
    unit: probe.unit,
    phases: results,
    ok: results.every((result) => result.ok),
  };
}

/**
 * The steady state that time to detect and time to recover measure against, for a probe that has one
 * (a baseline tolerance): its recovery tolerance as judged (back to the baseline, relative or not),
 * else the baseline's.
 */
export function steadyBand(probe: ProbeResult): ResolvedTolerance | undefined {
  const baseline = probe.phases.find((phase) => phase.phase === 'baseline');
  if (!baseline) return undefined;
  const recovery = probe.phases.find((phase) => phase.phase === 'recovery');
  return recovery && (recovery.tolerance.min !== undefined || recovery.tolerance.max !== undefined)
    ? recovery.tolerance
    : baseline.tolerance;
}

/** A probe's samples with its steady band (`steadyBand`; undefined: not a steady-state probe). */
export interface SteadySamples {
  steady: ResolvedTolerance | undefined;
  samples: Sample[];
}

/**
 * Seconds from the first fault to the first sample where a steady-state probe left its steady band;
 * null when none did (the fault never showed).
 */
export function timeToDetect(probes: SteadySamples[], faultStart: number, end: number): number | null {
  let first: number | undefined;
  for (const { steady, samples } of probes) {
    if (!steady) continue;
    const out = samples.find(([t, v]) => t >= faultStart && t <= end && v !== null && !within(v, steady));
    if (out && (first === undefined || out[0] < first)) first = out[0];
  }
  return first === undefined ? null : (first - faultStart) / 1000;
}

/**
 * Seconds from the end of the last fault until every steady-state probe is back inside its steady band
 * and stays there to the end of the run; null when one is still out at the end.
 */
export function timeToRecover(probes: SteadySamples[], faultEnd: number, end: number): number | null {
  let recoveredAt = faultEnd;
  for (const { steady, samples } of probes) {
    if (!steady) continue;
    const after = samples.filter(([t, v]) => t >= faultEnd && t <= end && v !== null) as [number, number][];
    const lastOut = after.findLastIndex(([, v]) => !within(v, steady));
    if (lastOut === after.length - 1 && after.length > 0) return null;
    const backAt = lastOut === -1 ? faultEnd : (after[lastOut + 1]?.[0] ?? faultEnd);
    recoveredAt = Math.max(recoveredAt, backAt);
  }
  return (recoveredAt - faultEnd) / 1000;
}
