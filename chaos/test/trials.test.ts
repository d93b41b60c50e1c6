/**
 * The trials report: statistics over the trials that count, the ones left out shown with their reason
 * and never averaged, in both languages (Markdown, HTML, JSON).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { renderSuiteTrials, renderTrials, trialStatistics } from '../src/report/trials';
import type { RunResult } from '../src/run-result';
import { buildRunResult } from './fixtures/run-result-fixture';

const trial = (timeToRecoverS: number, failedRate: number): RunResult => {
  const base = buildRunResult();
  return { ...base, timeToRecoverS, k6: { ...base.k6, failedRate } };
};

test('statistics over the valid trials only; an INVALID and an ABORTED trial are listed, not averaged', () => {
  const results = [
    trial(12.5, 0.01),
    { ...buildRunResult(), invalid: 'the load generator exited early', timeToRecoverS: 999 },
    trial(11.4, 0.02),
    { ...trial(500, 0.9), aborted: 'SIGINT' },
    trial(13.9, 0.03),
    trial(8.3, 0.01),
    trial(10.1, 0.02),
  ];
  const summary = trialStatistics(results);
  assert.deepEqual(summary.valid, [1, 3, 5, 6, 7]);
  assert.deepEqual(
    summary.excluded.map((e) => e.trial),
    [2, 4],
  );
  assert.match(summary.excluded[0]?.reason ?? '', /^INVALID: the load generator exited early/);
  assert.match(summary.excluded[1]?.reason ?? '', /^ABORTED: SIGINT/);
  const recover = summary.metrics.find((m) => m.id === 'timeToRecoverS');
  assert.deepEqual(recover?.values, [12.5, 11.4, 13.9, 8.3, 10.1]);
  // The same five values as the statistics test's known t interval (SciPy): [8.5602, 13.9198].
  assert.ok(Math.abs((recover?.summary?.meanInterval?.[0] ?? 0) - 8.560191063060671) < 1e-6);
  assert.ok(Math.abs((recover?.summary?.meanInterval?.[1] ?? 0) - 13.919808936939326) < 1e-6);
  // ± 10 % of 11.24 s = ± 1.124 s at SD 2.158: the smallest n with t(n − 1) · 2.158 / √n ≤ 1.124.
  assert.equal(recover?.trialsForTenPercent, 17);
  const failed = summary.metrics.find((m) => m.id === 'failedPercent');
  assert.ok(Math.abs((failed?.summary?.mean ?? 0) - 1.8) < 1e-9, 'failed requests in percent');
  assert.ok(
    summary.metrics.some((m) => m.id.startsWith('probe:') && m.id.endsWith(':fault')),
    'each probe per phase',
  );
});

test('the trials report is written in Markdown, HTML and JSON, in English and in Portuguese', async () => {
  const results = [trial(12.5, 0.01), trial(11.4, 0.02), trial(13.9, 0.03)];
  for (const lang of ['en', 'pt-BR'] as const) {
    const dir = mkdtempSync(join(tmpdir(), `trials-${lang}-`));
    const written = await renderTrials(results, dir, {
      lang,
      trialDirs: results.map((_, i) => join(dir, `trial-${i + 1}`)),
    });
    const markdown = readFileSync(written.markdown, 'utf8');
    const html = readFileSync(written.html, 'utf8');
    assert.match(markdown, lang === 'en' ? /95 % CI of the mean/ : /IC 95 % da média/);
    assert.match(markdown, lang === 'en' ? /3 of 3 trials count/ : /3 de 3 ensaios contam/);
    assert.match(html, /trial-1\/report\.html/);
    const json = JSON.parse(readFileSync(written.json, 'utf8')) as { schema: string; summary: { valid: number[] } };
    assert.equal(json.schema, 'confeitaria.chaos-trials/1');
    assert.deepEqual(json.summary.valid, [1, 2, 3]);
  }
});

test('a suite of trials: one row per scenario with its counted and passed trials, linked to its trials report', async () => {
  const failed = { ...trial(40, 0.2), verdict: { ok: false, reasons: ['probe out of tolerance'] } };
  const dir = mkdtempSync(join(tmpdir(), 'suite-trials-'));
  const written = await renderSuiteTrials(
    [
      { results: [trial(12.5, 0.01), trial(11.4, 0.02), trial(13.9, 0.03)], dir: join(dir, 'db-latency') },
      { results: [trial(9, 0.01), failed, { ...trial(9, 0), invalid: 'k6 exited' }], dir: join(dir, 'broker-crash') },
    ],
    dir,
    'en',
  );
  const markdown = readFileSync(written.markdown, 'utf8');
  assert.match(markdown, /\[db-latency\]\(db-latency\/trials\.html\) \| 3 \/ 3 \| 3 \/ 3 \|/);
  assert.match(markdown, /\| 2 \/ 3 \| 1 \/ 2 \|/, 'broker-crash: 2 of 3 counted, 1 of those passed');
});
