/**
 * The capacity report from a fixed CapacityResult: both languages written with the same figures and
 * tables, the knee marked where kneeOf puts it, nothing left untranslated or unfilled.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { en, ptBR } from '../src/capacity/i18n';
import { buildCapacityDocument, renderCapacity } from '../src/capacity/report';
import type { CapacityResult, CapacityStep } from '../src/capacity/result';
import { kneeOf, unexpectedErrors } from '../src/capacity/staircase';

const step = (shoppers: number, failedRatio: number, checkoutP95Seconds: number): CapacityStep => ({
  shoppers,
  holdSeconds: 60,
  requestsPerSecond: shoppers * 0.18,
  journeysPerSecond: shoppers / 90,
  ordersAcceptedPerSecond: shoppers / 40,
  ordersCompletedPerSecond: shoppers / 41,
  failedRatio,
  shedRatio: failedRatio / 2,
  byStatus: { '200': 10_000, '202': 900, '503': Math.round(failedRatio * 11_000) },
  shedByReason: failedRatio > 0 ? { saga_behind: Math.round(failedRatio * 5000) } : {},
  routes: [
    { route: 'GET /api/products', count: 4000, p50: 0.01, p95: 0.04, p99: 0.08 },
    { route: 'POST /api/orders', count: 900, p50: 0.05, p95: checkoutP95Seconds, p99: checkoutP95Seconds * 1.5 },
  ],
  cpu: [
    { process: 'gateway', cores: shoppers / 2000 },
    { process: 'orders', cores: shoppers / 4000 },
    { process: 'postgres-primary', cores: shoppers / 5000 },
  ],
  checkoutP95Seconds,
  held: failedRatio < 0.01 && checkoutP95Seconds < 0.5,
});

function fixture(): CapacityResult {
  const steps = [step(250, 0, 0.08), step(500, 0.002, 0.12), step(1000, 0.006, 0.31), step(1500, 0.04, 0.9)];
  const knee = kneeOf(steps);
  assert.ok(knee);
  const stressStep = { ...step(2000, 0.08, 1.2), byStatus: { '200': 9000, '503': 800, '504': 2 } };
  return {
    schema: 'confeitaria.capacity/1',
    startedAt: '2026-12-03T08:00:00.000Z',
    endedAt: '2026-12-03T08:12:00.000Z',
    quick: false,
    machine: { cpus: '2 × Test CPU', memoryGiB: 24, node: 'v24.21.0', commit: 'abc1234' },
    command: 'npm run capacity -- --steps 250,500,1000,1500 --ramp 20 --hold 60 --think tpcw --stress-factor 2',
    profile: {
      steps: steps.map((s) => s.shoppers),
      rampSeconds: 20,
      holdSeconds: 60,
      think: { model: 'tpcw', description: 'TPC-W' },
      sloCheckoutP95Seconds: 0.5,
      maxFailedRatio: 0.01,
    },
    steps,
    knee: {
      shoppers: knee.shoppers,
      ordersCompletedPerSecond: knee.ordersCompletedPerSecond,
      requestsPerSecond: knee.requestsPerSecond,
    },
    arrival: {
      logins: 1500,
      byStatus: { '200': 300, '503': 1200 },
      shedByReason: { hashing_busy: 1200 },
      p95Seconds: 1.1,
    },
    stress: {
      factor: 2,
      step: stressStep,
      goodputRatio: stressStep.ordersCompletedPerSecond / knee.ordersCompletedPerSecond,
      minGoodputRatio: 0.9,
      unexpectedErrors: unexpectedErrors(stressStep),
      ok: false,
    },
    audit: {
      ok: true,
      results: [{ id: 1, name: 'no order lost', ok: true, checked: '900 orders', violations: [] }],
    },
    k6: { exitCode: 0, summaryFile: 'reports/x/summary.json', ledgerOrders: 900 },
  };
}

test('the knee is the largest step held with every step below it held', () => {
  const steps = fixture().steps;
  assert.equal(kneeOf(steps)?.shoppers, 1000);
  assert.equal(kneeOf([step(100, 0.02, 0.1), step(250, 0, 0.1)]), undefined, 'a first step that failed: no knee');
  assert.equal(kneeOf([step(100, 0, 0.1), step(250, 0, 0.7), step(500, 0, 0.1)])?.shoppers, 100);
  assert.equal(unexpectedErrors(fixture().stress?.step as CapacityStep), 2, 'the 504s count, the shed 503s do not');
});

test('both languages have the same keys and none is left in English by mistake', () => {
  assert.deepEqual(Object.keys(ptBR).sort(), Object.keys(en).sort());
  const same = Object.keys(en).filter((key) => {
    const k = key as keyof typeof en;
    return en[k] === ptBR[k] && /[a-z]{4,} [a-z]{4,}/i.test(en[k]);
  });
  assert.deepEqual(same, [], 'sentences identical in both languages');
});

test('the report is written in both languages with the same figures and tables', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'capacity-report-'));
  try {
    const { files } = await renderCapacity(fixture(), dir);
    for (const name of ['capacity.json', 'capacity.md', 'capacity.html', 'capacity.pt-BR.md', 'capacity.pt-BR.html'])
      assert.ok(files.includes(join(dir, name)), `${name} written`);
    const enFigures = (await readdir(join(dir, 'figures'))).filter((f) => f.endsWith('.svg'));
    const ptFigures = await readdir(join(dir, 'figures', 'pt-BR'));
    assert.deepEqual(enFigures.sort(), ptFigures.sort());
    assert.deepEqual(enFigures.sort(), [
      'fig-01-throughput.svg',
      'fig-02-latency.svg',
      'fig-03-failures.svg',
      'fig-04-cpu.svg',
    ]);
    for (const figure of enFigures) {
      const svg = await readFile(join(dir, 'figures', figure), 'utf8');
      assert.match(svg, /^<svg role="img" aria-label="Figure \d+\./);
      assert.match(await readFile(join(dir, 'figures', 'pt-BR', figure), 'utf8'), /aria-label="Figura \d+\./);
    }
    const json = JSON.parse(await readFile(join(dir, 'capacity.json'), 'utf8')) as CapacityResult;
    assert.equal(json.knee?.shoppers, 1000);

    const md = await readFile(join(dir, 'capacity.md'), 'utf8');
    const pt = await readFile(join(dir, 'capacity.pt-BR.md'), 'utf8');
    assert.match(md, /^# Capacity report/);
    assert.match(pt, /^# Relatório de capacidade/);
    assert.match(md, /Knee: 1000 concurrent shoppers/);
    assert.match(md, /\*\*1000 \(knee\)\*\*/);
    assert.match(pt, /\*\*1000 \(joelho\)\*\*/);
    assert.match(md, /!\[Figure 1\]\(figures\/fig-01-throughput\.svg\)/);
    assert.match(pt, /!\[Figura 1\]\(figures\/pt-BR\/fig-01-throughput\.svg\)/);
    assert.match(md, /\*\*FAIL\*\* Stress at 2000 shoppers \(2× the knee\)/);
    assert.match(md, /TPC-W’s shopper/);
    assert.match(pt, /comprador do TPC-W/);
    const count = (text: string, re: RegExp) => text.match(re)?.length ?? 0;
    assert.equal(count(md, /\*\*Table \d+\.\*\*/g), count(pt, /\*\*Tabela \d+\.\*\*/g));
    assert.equal(count(md, /\*\*Table \d+\.\*\*/g), 8);
    for (const text of [md, pt]) assert.doesNotMatch(text, /\{[a-zA-Z]+\}/, 'no placeholder left unfilled');

    const html = await readFile(join(dir, 'capacity.pt-BR.html'), 'utf8');
    assert.match(html, /<html lang="pt-BR">/);
    assert.equal(count(html, /<svg /g), 4, 'the HTML inlines every figure');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a run with no knee says so and does not pretend a stress run', () => {
  const result = fixture();
  const failing = result.steps.map((s) => ({ ...s, held: false }));
  const doc = buildCapacityDocument({ ...result, steps: failing, knee: null, stress: undefined, quick: true }, 'en');
  const text = JSON.stringify(doc.sections[0]);
  assert.match(text, /No knee: the first step \(250 shoppers\) did not hold/);
  assert.match(text, /Stress run: not run \(no knee to double\)/);
  assert.match(text, /Quick run/);
  assert.ok(!doc.sections.some((s) => s.id === 'stress'));
});
