import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { catalogue } from '../scenarios';
import { renderRun } from '../src/report/render';
import { scoreRun } from '../src/report/scorecard';
import { notRunResult } from '../src/runner/invalid-run';

test('a scenario the pre-flight stopped is INVALID: its first reason says so and why, nothing was run or scored', async () => {
  const scenario = catalogue.find((candidate) => candidate.name === 'catalog-primary-down') ?? assert.fail();
  const reason = 'pre-flight: the shop did not settle within 120 s: components (catalog-1: not answering)';
  const result = notRunResult({
    scenario,
    config: { seed: 1, rate: 4, baselineS: 30, faultS: 30, recoveryS: 40, lang: 'en' },
    command: 'npm run chaos:scenario -- catalog-primary-down',
    mode: 'local',
    reason,
    startedAt: new Date(),
  });
  assert.equal(result.verdict.ok, false);
  assert.equal(result.verdict.reasons[0], `INVALID, not judged: ${reason}`);
  assert.deepEqual([result.phases, result.faults, result.probes, result.audit.results], [[], [], [], []]);
  assert.equal(result.k6.exitCode, -1, 'k6 never ran');
  assert.equal(scoreRun(result).score, null);
  // Its report, with no phase, fault or chart to show, still renders and says why.
  const dir = await mkdtemp(join(tmpdir(), 'not-run-'));
  const md = await readFile((await renderRun(result, dir, { lang: 'en' })).markdown, 'utf8');
  assert.ok(md.includes(`> **INVALID, not judged: ${reason}.`), md.slice(0, 800));
});
