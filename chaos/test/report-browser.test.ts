import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { renderRun, renderSuite } from '../src/report/render';
import { chromiumPath, screenshotReport } from '../src/report/screenshot';
import { buildFailingRunResult, buildRunResult } from './fixtures/run-result-fixture';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

// The acceptance test of issue #5's reports: Debian's Chromium opens the HTML as a reader would.
test('the HTML report renders in headless Chromium: every chart drawn, no console error, a screenshot saved', {
  timeout: 120_000,
}, async () => {
  assert.ok(existsSync(chromiumPath()), `Chromium is needed at ${chromiumPath()} (apt-get install chromium)`);
  const dir = await mkdtemp(join(tmpdir(), 'report-browser-'));
  const result = buildRunResult();
  const files = await renderRun(result, dir);
  const outcome = await screenshotReport(files.html, join(dir, 'report.png'));
  assert.ok(outcome);
  assert.deepEqual(outcome.consoleErrors, []);
  assert.equal(outcome.chartCount, result.timeline.length + result.probes.length);
  const png = await readFile(join(dir, 'report.png'));
  assert.deepEqual(png.subarray(0, 8), PNG);
  assert.ok(png.readUInt32BE(20) > 3000, `a full page, not a blank viewport (height ${png.readUInt32BE(20)} px)`);
  assert.ok((await stat(join(dir, 'report.png'))).size > 100_000, 'a non-trivial screenshot');
});

test('the suite report renders in headless Chromium too, in Portuguese', { timeout: 120_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'suite-browser-'));
  const files = await renderSuite([buildRunResult(), buildFailingRunResult()], join(dir, 'x-suite'), { lang: 'pt-BR' });
  const outcome = await screenshotReport(files.html, join(dir, 'suite.png'));
  assert.deepEqual(outcome, { consoleErrors: [], chartCount: 1 });
});

test('without Chromium the screenshot is skipped, not fatal', async () => {
  const previous = process.env.CHROMIUM_PATH;
  process.env.CHROMIUM_PATH = '/nonexistent/chromium';
  try {
    assert.equal(await screenshotReport('/nonexistent/report.html', '/nonexistent/report.png'), undefined);
  } finally {
    if (previous === undefined) delete process.env.CHROMIUM_PATH;
    else process.env.CHROMIUM_PATH = previous;
  }
});
