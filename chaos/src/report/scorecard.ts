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
 */
import type { RunResult } from '../run-result';

export const WEIGHTS = { steadyState: 40, invariants: 30, recovery: 20, thresholds: 10 } as const;
export type Component = keyof typeof WEIGHTS;

export interface ScenarioScore {
  scenario: string;
  ok: boolean;
  aborted: boolean;
  /** Each component as a percentage, or null when it had nothing to measure. */
  components: Record<Component, number | null>;
  /** 0–100. */
  score: number;
}

export interface Scorecard {
  scenarios: ScenarioScore[];
  /** Mean of the scenarios' scores, 0–100 (0 for an empty suite). */
  overall: number;
  passed: number;
}

const share = (passed: number, total: number): number | null => (total === 0 ? null : (100 * passed) / total);

export function recoveryComponent(result: RunResult): number {
  if (result.timeToRecoverS === null) return result.timeToDetectS === null ? 100 : 0;
  const window = result.config.recoveryS;
  if (!(window > 0)) return result.timeToRecoverS <= 0 ? 100 : 0;
  return Math.max(0, 100 * (1 - result.timeToRecoverS / window));
}

export function scoreRun(result: RunResult): ScenarioScore {
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
  const overall = scenarios.length === 0 ? 0 : scenarios.reduce((sum, s) => sum + s.score, 0) / scenarios.length;
  return { scenarios, overall, passed: scenarios.filter((s) => s.ok).length };
}
