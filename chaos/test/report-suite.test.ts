import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { en } from '../src/report/i18n';
import { renderRun, renderSuite } from '../src/report/render';
import type { SuiteFile } from '../src/report/suite-history';
import { buildFailingRunResult, buildRunResult } from './fixtures/run-result-fixture';

const run = promisify(execFile);
// Hand-computed in report-scorecard.test.ts: 95.833… passing, 62.333… failing.
const passing = 95.8333;
const failing = 62.3333;

test('a suite report scores each scenario and the whole, and documents the method', async () => {
  const root = await mkdtemp(join(tmpdir(), 'reports-'));
  const dir = join(root, '2026-11-24T10-00-00-000Z-suite');
  const files = await renderSuite([buildRunResult(), buildFailingRunResult('broker-outage')], dir, { lang: 'en' });
  const md = await readFile(files.markdown, 'utf8');
  for (const title of [en.sectionScorecard, en.sectionScoreMethod, en.sectionComparison, en.sectionRuns])
    assert.ok(md.includes(title), title);
  assert.match(md, /\| `db-latency` \| \*\*PASS\*\* \| 100\.0 \| 100\.0 \| 79\.2 \| 100\.0 \| \*\*95\.8\*\* \| new \|/);
  assert.match(md, /\| `broker-outage` \| \*\*FAIL\*\* \| 83\.3 \| 80\.0 \| 0\.0 \| 50\.0 \| \*\*62\.3\*\* \| new \|/);
  assert.match(md, /\| \*\*Overall\*\* \|.*\| \*\*79\.1\*\* \|/);
  assert.ok(md.includes('LitmusChaos') && md.includes('| Steady state | 40 |'));
  assert.ok(md.includes('No earlier suite run was found'));
  const json = JSON.parse(await readFile(files.json, 'utf8')) as SuiteFile;
  assert.ok(Math.abs(json.scorecard.overall - (passing + failing) / 2) < 1e-3);
  assert.equal(json.runs.length, 2);
});

test('a suite lists a scenario that was not run, with why, and leaves it out of the score and the chart', async () => {
  const root = await mkdtemp(join(tmpdir(), 'reports-'));
  const reason = 'pre-flight: the shop did not settle within 120 s: components (catalog-1: not answering)';
  const notRun = buildRunResult({ scenario: { ...buildRunResult().scenario, name: 'cache-outage' }, invalid: reason });
  const files = await renderSuite([buildRunResult(), notRun, buildFailingRunResult('broker-outage')], root, {
    lang: 'en',
  });
  const md = await readFile(files.markdown, 'utf8');
  assert.ok(md.includes(`> Not run: cache-outage: ${reason}`), 'the reason is at the top');
  assert.match(md, /\| `cache-outage` \| \*\*NOT RUN\*\* \| — \| — \| — \| — \| \*\*—\*\* \| — \|/);
  assert.match(md, /\| Scenarios that passed \| 1 \/ 2 \|/);
  assert.match(md, /\| Scenarios not run \(INVALID\) \| cache-outage \|/);
  assert.match(md, /\| \*\*Overall\*\* \|.*\| \*\*79\.1\*\* \|/, 'the mean of the two that ran');
  assert.ok(md.includes('left out of that mean'), 'the method says how');
  const svg =
    (await readdir(join(root, 'figures'))).find((file) => file.endsWith('.svg')) ?? assert.fail('score figure');
  assert.doesNotMatch(await readFile(join(root, 'figures', svg), 'utf8'), /cache-outage/);
});

test('a later suite is compared with the earlier ones, scenario by scenario', async () => {
  const root = await mkdtemp(join(tmpdir(), 'reports-'));
  await renderSuite([buildFailingRunResult('db-latency')], join(root, 'a-suite'), {
    createdAt: '2026-11-20T10:00:00.000Z',
  });
  await renderSuite([buildRunResult()], join(root, 'b-suite'), { createdAt: '2026-11-22T10:00:00.000Z' });
  const later = [
    buildFailingRunResult('db-latency'),
    buildRunResult({ scenario: { ...buildRunResult().scenario, name: 'cache-outage' } }),
  ];
  const files = await renderSuite(later, join(root, 'c-suite'), { createdAt: '2026-11-24T10:00:00.000Z' });
  const md = await readFile(files.markdown, 'utf8');
  // db-latency: 62.3 (a) → 95.8 (b) → 62.3 now: −33.5 against the most recent earlier suite (b).
  assert.match(md, /\| `db-latency` \| 62\.3 \| 95\.8 \| 62\.3 \| −33\.5 \|/);
  assert.match(md, /\| `cache-outage` \| — \| — \| 95\.8 \| new \|/);
  assert.match(md, /\| Previous suite \| b-suite \(2026-11-22 10:00:00 UTC\) \|/);
  const svg =
    (await readdir(join(root, 'c-suite', 'figures'))).find((file) => file.endsWith('.svg')) ??
    assert.fail('score figure');
  assert.match(await readFile(join(root, 'c-suite', 'figures', svg), 'utf8'), />2026-11-22 10:00:00 UTC<\/text>/);
});

test('npm run report re-renders one run in another language, and combines several into a suite', async () => {
  const root = await mkdtemp(join(tmpdir(), 'reports-'));
  const one = join(root, 'suite-x', 'db-latency');
  const two = join(root, 'suite-x', 'broker-outage');
  await mkdir(join(root, 'suite-x'));
  await renderRun(buildRunResult(), one);
  await renderRun(buildFailingRunResult(), two);
  const cli = join(__dirname, '..', 'src', 'report-cli.js');
  const single = await run(process.execPath, [cli, one, '--lang', 'pt-BR'], { cwd: root });
  assert.match(single.stdout, /report\.html/);
  assert.match(await readFile(join(one, 'report.md'), 'utf8'), /^# Relatório de experimento de caos/);
  const out = join(root, 'combined-suite');
  const suite = await run(process.execPath, [cli, one, two, '--out', out], { cwd: root });
  assert.match(suite.stdout, /suite report written \(2 runs\)/);
  const md = await readFile(join(out, 'suite.md'), 'utf8');
  assert.match(md, /\[\.\.\/suite-x\/db-latency\]\(\.\.\/suite-x\/db-latency\/report\.html\)/);
  const rerender = await run(process.execPath, [cli, out], { cwd: root });
  assert.match(rerender.stdout, /suite report written \(2 runs\)/);
  await assert.rejects(run(process.execPath, [cli, root], { cwd: root }), /holds neither run\.json nor suite\.json/);
});
