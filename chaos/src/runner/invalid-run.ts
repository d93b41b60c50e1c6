/**
 * The parts of a RunResult an INVALID run does not have (issue 19: no verdict without a valid
 * measurement): no probe judged, no audit, no load when k6 never ran. A run is INVALID when the shop
 * did not settle before it (pre-flight) or its load generator failed it; see RunResult.invalid.
 */
import type { AuditReport } from '../audit/auditor';
import type { K6Outcome, RunConfig, RunResult } from '../run-result';
import type { Scenario } from '../scenario';
import { environment } from './environment';
import { verdictOf } from './run-verdict';

/** The audit of a run that was not judged: nothing checked. */
export const notAudited = (): AuditReport => ({
  ok: false,
  results: [],
  settledAfterMs: 0,
  snapshotAt: new Date().toISOString(),
});

/** The load figures of a run whose k6 never ran (exit code -1). */
export const noLoad = (script: string): K6Outcome => ({
  exitCode: -1,
  script,
  profile: 'chaos',
  thresholds: [],
  requests: 0,
  failedRate: 0,
  p50Ms: 0,
  p95Ms: 0,
  p99Ms: 0,
  acceptedOrders: 0,
  summaryFile: '',
});

/** What an INVALID result holds in place of judged figures. */
export const notJudged = () => ({
  probes: [],
  timeToDetectS: null,
  timeToRecoverS: null,
  audit: notAudited(),
  slowestTraces: [],
});

export const scenarioInfo = (scenario: Scenario): RunResult['scenario'] => ({
  name: scenario.name,
  title: scenario.title,
  hypothesis: scenario.hypothesis,
  proves: scenario.proves,
});

/** A scenario that was not run at all (the pre-flight failed): nothing applied, nothing measured. */
export function notRunResult(options: {
  scenario: Scenario;
  config: RunConfig;
  command: string;
  mode: 'local' | 'docker';
  reason: string;
  startedAt: Date;
}): RunResult {
  const result: RunResult = {
    schema: 'confeitaria.chaos-run/1',
    scenario: scenarioInfo(options.scenario),
    startedAt: options.startedAt.toISOString(),
    endedAt: new Date().toISOString(),
    config: options.config,
    phases: [],
    faults: [],
    timeline: [],
    k6: noLoad(options.scenario.load.script),
    environment: environment(options.mode),
    command: options.command,
    verdict: { ok: false, reasons: [] },
    invalid: options.reason,
    processEvents: [],
    ...notJudged(),
  };
  result.verdict = verdictOf(result, [], []);
  return result;
}
