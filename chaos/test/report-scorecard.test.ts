import assert from 'node:assert/strict';
import { test } from 'node:test';
import { recoveryComponent, scorecard, scoreRun } from '../src/report/scorecard';
import { buildFailingRunResult, buildRunResult } from './fixtures/run-result-fixture';

const close = (actual: number, expected: number) =>
  assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} ≠ ${expected}`);

test('a passing run scores the weighted mean of its components (hand-computed)', () => {
  // steady 6/6 = 100, invariants 5/5 = 100, recovery 100 × (1 − 12.5/60) = 79.1667, thresholds 2/2 = 100
  const score = scoreRun(buildRunResult());
  close(score.components.recovery ?? Number.NaN, 100 * (1 - 12.5 / 60));
  close(score.score ?? Number.NaN, (40 * 100 + 30 * 100 + 20 * (100 * (1 - 12.5 / 60)) + 10 * 100) / 100);
});

test('a failing run loses points where it failed (hand-computed)', () => {
  // steady 5/6, invariants 4/5, never recovered = 0, thresholds 1/2
  const score = scoreRun(buildFailingRunResult());
  assert.deepEqual(score.components, { steadyState: (100 * 5) / 6, invariants: 80, recovery: 0, thresholds: 50 });
  close(score.score ?? Number.NaN, (40 * ((100 * 5) / 6) + 30 * 80 + 20 * 0 + 10 * 50) / 100);
});

test('the overall score is the plain mean of the scenarios, and counts the passes', () => {
  const card = scorecard([buildRunResult(), buildFailingRunResult()]);
  close(
    card.overall,
    ((40 * 100 + 30 * 100 + 20 * (100 * (1 - 12.5 / 60)) + 1000) / 100 + (40 * ((100 * 5) / 6) + 2400 + 500) / 100) / 2,
  );
  assert.equal(card.passed, 1);
  assert.equal(scorecard([]).overall, 0);
});

test('a component with nothing to measure is left out and the weights rescaled', () => {
  const base = buildRunResult();
  const score = scoreRun({ ...base, k6: { ...base.k6, thresholds: [] } });
  assert.equal(score.components.thresholds, null);
  close(score.score ?? Number.NaN, (40 * 100 + 30 * 100 + 20 * (100 * (1 - 12.5 / 60))) / 90);
});

test('recovery: full marks when nothing degraded, none when it never came back, and an interrupted run scores 0', () => {
  assert.equal(recoveryComponent(buildRunResult({ timeToDetectS: null, timeToRecoverS: null })), 100);
  assert.equal(recoveryComponent(buildRunResult({ timeToRecoverS: null })), 0);
  assert.equal(recoveryComponent(buildRunResult({ timeToRecoverS: 90 })), 0);
  assert.equal(scoreRun(buildRunResult({ aborted: 'SIGINT' })).score, 0);
});

test('a scenario not run (INVALID) has no score, is left out of the overall, and is counted apart', () => {
  const notRun = buildRunResult({
    scenario: { ...buildRunResult().scenario, name: 'broker-outage' },
    invalid: "k6's setup() failed",
  });
  const score = scoreRun(notRun);
  assert.equal(score.score, null);
  assert.equal(score.notRun, "k6's setup() failed");
  assert.equal(score.ok, false);
  const card = scorecard([buildRunResult(), notRun, buildFailingRunResult()]);
  // The mean of the two scenarios that ran, as if the third were not in the suite.
  close(card.overall, scorecard([buildRunResult(), buildFailingRunResult()]).overall);
  assert.deepEqual([card.passed, card.notRun, card.scenarios.length], [1, 1, 3]);
  assert.equal(scorecard([notRun]).overall, 0, 'nothing run, nothing scored');
});
