import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PhaseWindow } from '../src/run-result';
import {
  baselineLevel,
  judgePhase,
  judgeProbe,
  rangeWindowMs,
  settleMs,
  steadyBand,
  timeToDetect,
  timeToRecover,
} from '../src/runner/verdict';
import type { Probe } from '../src/scenario';

const s = 1_000;
const phases: PhaseWindow[] = [
  { name: 'baseline', start: 0, end: 30 * s },
  { name: 'fault', start: 30 * s, end: 60 * s },
  { name: 'recovery', start: 60 * s, end: 100 * s },
];
/** One sample every 2 s from 0 to 100 s, valued by `f(seconds)`. */
const series = (f: (t: number) => number | null): [number, number | null][] =>
  Array.from({ length: 51 }, (_, i) => [i * 2 * s, f(i * 2)]);
const errors: Probe = {
  name: 'client_errors',
  title: { en: 'e', 'pt-BR': 'e' },
  query: 'q',
  unit: 'ratio',
  tolerances: { baseline: { max: 0.01, mode: 'all' }, recovery: { max: 0.01, mode: 'last' } },
};

describe('judging a phase', () => {
  test('samples from the first 15 s of a phase are shown but not judged: they still see the previous phase', () => {
    const samples = series((t) => (t >= 30 && t < 30 + settleMs / s ? 0.5 : 0));
    const fault = judgePhase(samples, phases[1] as PhaseWindow, { max: 0.01, mode: 'all' });
    assert.equal(fault.ok, true);
    assert.equal(fault.samples.length, 16, 'every sample of the phase is kept for the chart');
  });

  test('a gauge (no range window) is judged from the first sample of a phase: a brief drop right after the fault counts', () => {
    // database-crash: the replica stops streaming 2–14 s into the fault phase, then streams again.
    const samples = series((t) => (t > 30 && t <= 44 ? 0 : 1));
    const streaming = (query: string): Probe => ({
      ...errors,
      name: 'replica_streaming',
      query,
      tolerances: { fault: { max: 0, mode: 'any' } },
    });
    const gauge = judgeProbe(streaming('max(pg_wal_receiver_streaming{role="replica"}) or vector(0)'), samples, phases);
    assert.equal(gauge.ok, true, 'the drop is seen');
    // The same samples from a rate query are still settled for its window: the drop is in its first 15 s.
    const rate = judgeProbe(streaming('max(rate(x_total[15s]))'), samples, phases);
    assert.equal(rate.ok, false);
    assert.deepEqual(
      ['min(x)', 'rate(x[15s])', 'sum(rate(a[15s])) / sum(rate(b[1m]))', 'max_over_time(x[2m:10s])'].map(rangeWindowMs),
      [0, 15_000, 60_000, 120_000],
    );
  });

  test('"all" fails on the worst sample, "any" passes on the best, "last" looks at the last one', () => {
    const samples = series((t) => (t === 50 ? 0.2 : t > 54 ? 0.3 : 0));
    const fault = phases[1] as PhaseWindow;
    assert.deepEqual(
      [
        judgePhase(samples, fault, { max: 0.01, mode: 'all' }).ok,
        judgePhase(samples, fault, { max: 0.01, mode: 'all' }).observed,
      ],
      [false, 0.3],
    );
    assert.deepEqual(
      [
        judgePhase(samples, fault, { max: 0.01, mode: 'any' }).ok,
        judgePhase(samples, fault, { max: 0.01, mode: 'any' }).observed,
      ],
      [true, 0],
    );
    assert.deepEqual(
      [
        judgePhase(samples, fault, { min: 0.25, mode: 'last' }).ok,
        judgePhase(samples, fault, { min: 0.25, mode: 'last' }).observed,
      ],
      [true, 0.3],
    );
  });

  test('a phase with no data at all fails: silence is not a pass', () => {
    const result = judgePhase(
      series(() => null),
      phases[0] as PhaseWindow,
      { max: 1, mode: 'all' },
    );
    assert.deepEqual([result.ok, result.observed], [false, null]);
  });

  test('a probe passes only when every phase with a tolerance passes; phases without one are not judged', () => {
    const result = judgeProbe(
      errors,
      series((t) => (t > 40 && t < 70 ? 0.4 : 0)),
      phases,
    );
    assert.deepEqual(
      result.phases.map((p) => [p.phase, p.ok]),
      [
        ['baseline', true],
        ['recovery', true],
      ],
    );
    assert.equal(result.ok, true);
    const stuck = judgeProbe(
      errors,
      series((t) => (t > 40 ? 0.4 : 0)),
      phases,
    );
    assert.equal(stuck.ok, false);
  });
});

/** A probe's samples with the steady band its judged result gives, as the runner hands them over. */
const steadyOf = (probe: Probe, samples: [number, number | null][]) => ({
  steady: steadyBand(judgeProbe(probe, samples, phases)),
  samples,
});

describe('tolerances relative to the baseline', () => {
  // A latency steady state: usable before the fault (≤ 1 s), back within 2 × the baseline + 100 ms.
  const latency: Probe = {
    name: 'gateway_p95',
    title: { en: 'p', 'pt-BR': 'p' },
    query: 'histogram_quantile(0.95, sum by (le) (rate(x_bucket[15s])))',
    unit: 's',
    tolerances: {
      baseline: { max: 1, mode: 'all' },
      fault: { max: 5, mode: 'all' },
      recovery: { max: 0.1, mode: 'last', ofBaseline: { times: 2 } },
    },
  };
  /** A machine whose unfaulted p95 is `base` s: 10 × slower during the fault, back after. */
  const machine = (base: number) => series((t) => (t >= 34 && t < 66 ? base * 10 : base));

  test('the baseline level is the median of the judged baseline samples (past the range window)', () => {
    const samples = series((t) => (t < 15 ? 9 : t === 20 ? 0.3 : 0.1));
    assert.equal(baselineLevel(samples, phases[0], settleMs), 0.1);
    assert.equal(baselineLevel([], phases[0], settleMs), null);
  });

  test('one hypothesis holds on a fast machine and on a ten times slower one, and fails where latency stays up', () => {
    for (const base of [0.025, 0.25]) {
      const result = judgeProbe(latency, machine(base), phases);
      assert.equal(result.ok, true, `base ${base}`);
      const recovery = result.phases.find((phase) => phase.phase === 'recovery');
      assert.equal(recovery?.tolerance.max, 2 * base + 0.1, 'resolved against this run');
      assert.deepEqual(recovery?.tolerance.relative, { baseline: base, times: 2, max: 0.1 });
    }
    const stuck = judgeProbe(
      latency,
      series((t) => (t >= 34 ? 0.2 : 0.025)),
      phases,
    );
    assert.equal(stuck.ok, false, '0.2 s after the fault is not back to a 0.025 s baseline');
    // The same absolute bound would have missed it: 0.2 s is under a fixed 0.3 s.
    assert.equal(stuck.phases.find((phase) => phase.phase === 'recovery')?.observed, 0.2);
  });

  test('detection and recovery measure against the resolved band, so a slow machine is not "out" before the fault', () => {
    for (const base of [0.025, 0.25]) {
      const probes = [steadyOf(latency, machine(base))];
      assert.equal(timeToDetect(probes, 30 * s, 100 * s), 4, `base ${base}`);
      assert.equal(timeToRecover(probes, 60 * s, 100 * s), 6, `base ${base}`);
    }
  });

  test('without baseline data a relative tolerance cannot hold', () => {
    const result = judgeProbe(
      latency,
      series((t) => (t <= 30 ? null : 0.01)),
      phases,
    );
    const recovery = result.phases.find((phase) => phase.phase === 'recovery');
    assert.equal(recovery?.ok, false);
    assert.equal(recovery?.observed, null);
  });
});

describe('time to detect and to recover', () => {
  const probes = [
    steadyOf(
      errors,
      series((t) => (t >= 36 && t < 72 ? 0.3 : 0.001)),
    ),
  ];

  test('detection is the first sample out of the steady state after the fault starts', () => {
    assert.equal(timeToDetect(probes, 30 * s, 100 * s), 6);
  });

  test('recovery is when every steady-state probe is back and stays back', () => {
    assert.equal(timeToRecover(probes, 60 * s, 100 * s), 12);
  });

  test('a probe still out of tolerance at the end means no recovery (null); an invisible fault is detected never (null)', () => {
    assert.equal(
      timeToRecover(
        [
          steadyOf(
            errors,
            series((t) => (t >= 36 ? 0.3 : 0)),
          ),
        ],
        60 * s,
        100 * s,
      ),
      null,
    );
    assert.equal(
      timeToDetect(
        [
          steadyOf(
            errors,
            series(() => 0),
          ),
        ],
        30 * s,
        100 * s,
      ),
      null,
    );
    assert.equal(
      timeToRecover(
        [
          steadyOf(
            errors,
            series(() => 0),
          ),
        ],
        60 * s,
        100 * s,
      ),
      0,
    );
  });
});
