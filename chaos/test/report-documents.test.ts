import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { en } from '../src/report/i18n';
import { ptBR } from '../src/report/i18n-pt-br';
import { renderRun } from '../src/report/render';
import { buildFailingRunResult, buildRunResult } from './fixtures/run-result-fixture';

const runSections = [
  en.sectionSummary,
  en.sectionHypothesis,
  en.sectionMethod,
  en.sectionTimeline,
  en.sectionProbes,
  en.sectionDetection,
  en.sectionLoad,
  en.sectionInvariants,
  en.sectionTraces,
  en.sectionEnvironment,
  en.sectionReproduce,
];

const render = async (result = buildRunResult(), lang: 'en' | 'pt-BR' = 'en') => {
  const dir = await mkdtemp(join(tmpdir(), 'report-'));
  const files = await renderRun(result, dir, { lang });
  return {
    dir,
    md: await readFile(files.markdown, 'utf8'),
    html: await readFile(files.html, 'utf8'),
    json: await readFile(files.json, 'utf8'),
  };
};

test('a run report has every section, numbered, in Markdown and in HTML', async () => {
  const { md, html } = await render();
  runSections.forEach((title, i) => {
    assert.ok(md.includes(`## ${i + 1}. ${title}`), `markdown: ${title}`);
    assert.ok(html.includes(`<h2>${i + 1}. ${title}</h2>`), `html: ${title}`);
  });
  assert.match(md, /```sh\nnpm run chaos -- run db-latency --seed 424242 --rate 10 --duration 150\n```/);
  assert.match(md, /!\[Figure 7\]\(figures\/fig-07-probe-error-ratio\.svg\)/);
  assert.match(md, /\*\*Table 1\.\*\* Outcome of the run\./);
  for (const trace of buildRunResult().slowestTraces)
    assert.ok(md.includes(trace.traceId) && html.includes(trace.traceId));
});

test('each probe phase, threshold and invariant carries its own verdict, and a failing run says FAIL and why', async () => {
  const failing = buildFailingRunResult();
  const { md, html } = await render(failing);
  const verdicts =
    failing.probes.flatMap((p) => p.phases).length + failing.k6.thresholds.length + failing.audit.results.length + 1;
  assert.equal((md.match(/\*\*(PASS|FAIL)\*\*/g) ?? []).length, verdicts);
  assert.equal((html.match(/class="verdict (pass|fail)"/g) ?? []).length, verdicts);
  assert.equal((html.match(/class="verdict fail"/g) ?? []).length, 4, 'run, recovery probe, threshold, invariant');
  assert.match(md, /> \*\*Verdict: FAIL\*\*/);
  assert.ok(md.includes('invariant 4 violated') && md.includes('orders without payment (2): o-17, o-42'));
  assert.ok(md.includes('did not recover within the recovery phase'));
});

test('the pt-BR report is Portuguese throughout: no English section title, caption or column survives', async () => {
  const { md, html } = await render(buildRunResult(), 'pt-BR');
  assert.match(html, /<html lang="pt-BR">/);
  const headings = md.split('\n').filter((line) => line.startsWith('#'));
  assert.equal(headings.length, runSections.length + 1);
  const english = Object.entries(en).filter(
    ([key, text]) => text !== ptBR[key as keyof typeof en] && text.length > 3 && !text.includes('{'),
  );
  for (const [key, text] of english) {
    assert.ok(!html.includes(`>${text}<`) && !md.includes(`| ${text} |`), `English "${key}" in the pt-BR report`);
  }
  for (const title of runSections) assert.ok(!headings.some((h) => h.includes(title)), title);
  assert.ok(md.includes('**APROVADO**') && md.includes('Tabela 1.') && md.includes('Figura 1.'));
  assert.ok(md.includes('requisições do k6'), 'series labels are translated');
  assert.match(md, /\| 6,2 \|/, 'decimal comma');
});

test('both dictionaries have the same keys and the same placeholders', () => {
  assert.deepEqual(Object.keys(ptBR).sort(), Object.keys(en).sort());
  for (const [key, text] of Object.entries(en)) {
    const holes = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
    assert.deepEqual(holes(ptBR[key as keyof typeof en]), holes(text), key);
  }
});

test('the HTML is one self-contained file: no script, no external resource, only in-page links', async () => {
  const { html } = await render();
  assert.doesNotMatch(html, /<script|<link|<img|<iframe|@import|url\(\s*['"]?https?:/i);
  const references = [...html.matchAll(/\s(?:src|href|xlink:href)="([^"]*)"/g)].map((m) => m[1] ?? '');
  assert.ok(references.length > 0);
  for (const ref of references) assert.ok(ref.startsWith('#'), `reference ${ref}`);
  assert.equal((html.match(/<svg /g) ?? []).length, 7);
});

test('run.json is the RunResult as given, and the figures are written beside the Markdown', async () => {
  const result = buildRunResult();
  const { dir, json } = await render(result);
  assert.deepEqual(JSON.parse(json), result);
  assert.equal((await readdir(join(dir, 'figures'))).filter((f) => f.endsWith('.svg')).length, 7);
});

test('data is never read as markup: pipes, stars and angle brackets in a fault stay literal', async () => {
  const base = buildRunResult();
  const fault = { ...(base.faults[0] ?? assert.fail('fault')), detail: 'a | b *c* <script>x</script>' };
  const { md, html } = await render({ ...base, faults: [fault] });
  assert.ok(md.includes('a \\| b \\*c\\* \\<script\\>x\\</script\\>'));
  assert.ok(html.includes('a | b *c* &lt;script&gt;x&lt;/script&gt;'));
});

test('an interrupted run is flagged at the top of its report', async () => {
  const { md } = await render(buildRunResult({ aborted: 'SIGINT during the fault phase' }));
  assert.match(md, /> Run interrupted: SIGINT during the fault phase\./);
});

test('an INVALID run says so at the top instead of a verdict, in both languages, and has no score', async () => {
  const reason = 'k6 exited before its load started; k6\'s setup() failed (k6 exit code 107): "restock failed: 503"';
  const invalid = buildRunResult({
    invalid: reason,
    probes: [],
    verdict: { ok: false, reasons: [`INVALID: ${reason}`] },
  });
  const { md } = await render(invalid);
  assert.ok(md.includes(`> **INVALID, not judged: ${reason.replace(/[*"]/g, (c) => (c === '*' ? '\\*' : c))}.`), md);
  assert.doesNotMatch(md, /Verdict: FAIL/);
  assert.match(md, /\| Verdict \| \*\*NOT RUN\*\* \|/);
  assert.match(md, /\| Resilience score \(0–100\) \| — \|/);
  const pt = await render(invalid, 'pt-BR');
  assert.ok(pt.md.includes('> **INVÁLIDA, não julgada: '), 'pt-BR callout');
  assert.match(pt.md, /\*\*NÃO EXECUTADO\*\*/);
});
