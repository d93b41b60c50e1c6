/**
 * The resilience score: a weighted mean of four percentages per scenario, then the plain mean over
 * scenarios. Modelled on LitmusChaos' probe-weighted resilience score, kept small enough to check by
 * hand (the report prints every component, so a reader can redo the arithmetic).
 *
 *   steady state  40  share of judged (probe, phase) pairs that stayed in tolerance
 *   invariants    30  share of audited invariants that held
 *   recovery      20  100 × (1 − TTR ÷ recovery phase), ≥ 0; 100 if no probe left tolerance; 0 if never back
 *   thresholds    10  share of k6 thresholds met
 *
 * A component with nothing to measure (no threshold, no invariant) is left out and the remaining
 * weights rescaled; an interrupted run scores 0 because its figures cover only part of the method.
 * A scenario that was not run (an INVALID run: the shop did not settle, or the load generator failed
 * it) has no score and is left out of the overall mean: nothing was measured, so it neither passes nor
 * fails; the suite lists it as not run, with why.
 */
import type { RunResult } from '../run-result';

export const WEIGHTS = { steadyState: 40, invariants: 30, recovery: 20, thresholds: 10 } as const;
export type Component = keyof typeof WEIGHTS;

export interface ScenarioScore {
  scenario: string;
  ok: boolean;
  aborted: boolean;
  /** Why the scenario was not run (RunResult.invalid); absent when it was run and judged. */
  notRun?: string;
  /** Each component as a percentage, or null when it had nothing to measure. */
  components: Record<Component, number | null>;
  /** 0–100; null when the scenario was not run. */
  score: number | null;
}

export interface Scorecard {
  scenarios: ScenarioScore[];
  /** Mean of the scores of the scenarios that were run, 0–100 (0 when none was). */
  overall: number;
  passed: number;
  /** Scenarios not run (no score, not in the overall). */
  notRun: number;
}

const share = (passed: number, total: number): number | null => (total === 0 ? null : (100 * passed) / total);

export function recoveryComponent(result: RunResult): number {
  if (result.timeToRecoverS === null) return result.timeToDetectS === null ? 100 : 0;
  const window = result.config.recoveryS;
  if (!(window > 0)) return result.timeToRecoverS <= 0 ? 100 : 0;
  return Math.max(0, 100 * (1 - result.timeToRecoverS / window));
}

export function scoreRun(result: RunResult): ScenarioScore {
  if (result.invalid !== undefined) {
    const none = { steadyState: null, invariants: null, recovery: null, thresholds: null };
    return {
      scenario: result.scenario.name,
      ok: false,
      aborted: false,
      notRun: result.invalid,
      components: none,
      score: null,
    };
  }
  const judged = result.probes.flatMap((probe) => probe.phases);
  const components: Record<Component, number | null> = {
    steadyState: share(judged.filter((phase) => phase.ok).length, judged.length),
    invariants: share(result.audit.results.filter((r) => r.ok).length, result.audit.results.length),
    recovery: recoveryComponent(result),
    thresholds: share(result.k6.thresholds.filter((t) => t.ok).length, result.k6.thresholds.length),
  };
  const aborted = result.aborted !== undefined;
  let weighted = 0;
  let weights = 0;
  for (const component of Object.keys(WEIGHTS) as Component[]) {
    const value = components[component];
    if (value === null) continue;
    weighted += value * WEIGHTS[component];
    weights += WEIGHTS[component];
  }
  return {
    scenario: result.scenario.name,
    ok: result.verdict.ok,
    aborted,
    components,
    score: aborted || weights === 0 ? 0 : weighted / weights,
  };
}

export function scorecard(results: RunResult[]): Scorecard {
  const scenarios = results.map(scoreRun);
  const scores = scenarios.flatMap((s) => (s.score === null ? [] : [s.score]));
  const overall = scores.length === 0 ? 0 : scores.reduce((sum, score) => sum + score, 0) / scores.length;
  return {
    scenarios,
    overall,
    passed: scenarios.filter((s) => s.ok).length,
    notRun: scenarios.length - scores.length,
  };
}
