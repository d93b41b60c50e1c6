/**
 * Comparing two sets of trials: the difference of means with Welch's interval, the Mann–Whitney test
 * and the plain-language reading, on trials whose answers are known (the statistics test's SciPy figures).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { compareTrials, readingOf, renderComparison } from '../src/report/compare';
import type { RunResult } from '../src/run-result';
import { buildRunResult } from './fixtures/run-result-fixture';

const trial = (timeToRecoverS: number, acceptedOrders: number): RunResult => {
  const base = buildRunResult();
  return { ...base, timeToRecoverS, k6: { ...base.k6, acceptedOrders } };
};

test('B recovers slower than A: both tests agree; orders drawn from the same values: no difference shown', () => {
  const a = [trial(12.5, 300), trial(11.4, 310), trial(13.9, 305), trial(8.3, 298), trial(10.1, 302)];
  const b = [trial(15.2, 301), trial(14.8, 309), trial(16.9, 299), trial(13.1, 306)];
  const comparison = compareTrials(a, b, { a: 'A', b: 'B' });
  const recover = comparison.metrics.find((m) => m.id === 'timeToRecoverS');
  // SciPy: ttest_ind(b, a, equal_var=False) interval = −(the statistics test's a − b interval).
  assert.ok(Math.abs((recover?.difference?.interval?.[0] ?? 0) - 0.8229085593679053) < 1e-6);
  assert.ok(Math.abs((recover?.difference?.interval?.[1] ?? 0) - 6.697091440632098) < 1e-6);
  assert.equal(recover?.mannWhitney?.method, 'exact');
  assert.ok((recover?.mannWhitney?.p ?? 1) < 0.05, `p ${recover?.mannWhitney?.p}`);
  assert.equal(recover?.reading, 'higher');
  assert.equal(comparison.metrics.find((m) => m.id === 'acceptedOrders')?.reading, 'no-difference');
});

test('the reading: only both tests agreeing make a difference; one trial a side is too few', () => {
  const interval = (low: number, high: number) => ({
    difference: (low + high) / 2,
    interval: [low, high] as [number, number],
    df: 4,
    method: '',
  });
  const u = (p: number) => ({ uA: 0, u: 0, p, probabilityOfSuperiority: 0, method: 'exact' as const });
  assert.equal(readingOf(interval(-3, -1), u(0.01)), 'lower');
  assert.equal(readingOf(interval(-3, 1), u(0.3)), 'no-difference');
  assert.equal(readingOf(interval(1, 3), u(0.2)), 'inconclusive');
  assert.equal(readingOf(interval(-1, 3), u(0.01)), 'inconclusive');
  assert.equal(readingOf(null, null), 'too-few');
  const one = compareTrials([trial(10, 300)], [trial(20, 300)], { a: 'A', b: 'B' });
  assert.equal(one.metrics.find((m) => m.id === 'timeToRecoverS')?.reading, 'too-few');
});

test('the comparison is written in Markdown, HTML and JSON, in both languages', async () => {
  const a = [trial(12.5, 300), trial(11.4, 310), trial(13.9, 305)];
  const b = [trial(15.2, 301), trial(14.8, 309), trial(16.9, 299)];
  for (const lang of ['en', 'pt-BR'] as const) {
    const dir = mkdtempSync(join(tmpdir(), `compare-${lang}-`));
    const written = await renderComparison(a, b, dir, { lang, labels: { a: 'reports/a', b: 'reports/b' } });
    const markdown = readFileSync(written.markdown, 'utf8');
    assert.match(markdown, lang === 'en' ? /95 % CI of B − A/ : /IC 95 % de B − A/);
    assert.match(readFileSync(written.html, 'utf8'), /Mann–Whitney/);
    assert.equal(JSON.parse(readFileSync(written.json, 'utf8')).schema, 'confeitaria.chaos-compare/1');
  }
});
