/**
 * The benchmark's report: bench.json (every figure), bench.md (tables, the targets and whether they
 * were met, the charts) and figures/*.svg (server-side ECharts), in reports/bench/<stamp>/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as echarts from 'echarts';
import type { Footprint } from './footprint';
import type { Pipeline, PipelineStep } from './pipeline';
import type { CpuShare } from './process-tree';
import type { ReadPath } from './read-path';
import type { Scaling } from './scaling';
import type { EndpointComparison } from './telemetry-overhead';

export interface BenchResult {
  schema: 'confeitaria.bench/1';
  startedAt: string;
  endedAt: string;
  quick: boolean;
  machine: { cpus: string; memoryGiB: number; node: string; commit: string };
  telemetry?: EndpointComparison[];
  readPath?: ReadPath;
  pipeline?: Pipeline;
  footprint?: Footprint;
  scaling?: Scaling;
}

export interface Target {
  what: string;
  target: string;
  measured: string;
  met: boolean;
}

const n = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

/** One row per offered rate of a pipeline sweep. */
const stepTable = (steps: PipelineStep[]) => [
  '| offered /s | accepted | finished /s | pending at end | sustained |',
  '|---|---|---|---|---|',
  ...steps.map(
    (s) =>
      `| ${s.offered} | ${s.accepted} | ${n(s.finishedPerSecond, 1)} | ${s.pendingAtEnd} | ${s.sustained ? 'yes' : 'no'} |`,
  ),
];

export function targets(result: BenchResult): Target[] {
  const rows: Target[] = [];
  for (const endpoint of result.telemetry ?? []) {
    rows.push({
      what: `telemetry on/off throughput, ${endpoint.endpoint}`,
      target: '≥ 0.85',
      measured: n(endpoint.throughputRatio),
      met: endpoint.throughputRatio >= 0.85,
    });
    rows.push({
      what: `telemetry on/off p99, ${endpoint.endpoint}`,
      target: '≤ 1.3',
      measured: n(endpoint.p99Ratio),
      met: endpoint.p99Ratio <= 1.3,
    });
  }
  if (result.pipeline) {
    rows.push({
      what: 'sustained orders/s ÷ pgbench orders/s',
      target: '≥ 0.30',
      measured: n(result.pipeline.ratio),
      met: result.pipeline.ratio >= 0.3,
    });
  }
  if (result.footprint) {
    const f = result.footprint;
    rows.push({
      what: 'whole stack memory (PSS) at idle',
      target: '< 1536 MiB',
      measured: `${n(f.idleTotalMiB, 0)} MiB`,
      met: f.idleTotalMiB < 1536,
    });
    rows.push({
      what: 'whole stack memory (PSS) under load',
      target: '< 2048 MiB',
      measured: `${n(f.loadTotalMiB, 0)} MiB`,
      met: f.loadTotalMiB < 2048,
    });
    if (f.startupSeconds !== null) {
      rows.push({
        what: '`up` to all healthy, tools cached',
        target: '< 30 s',
        measured: `${n(f.startupSeconds, 1)} s`,
        met: f.startupSeconds < 30,
      });
    }
  }
  return rows;
}

function barChart(
  title: string,
  categories: string[],
  series: { name: string; values: number[] }[],
  unit: string,
): string {
  const chart = echarts.init(null, null, {
    renderer: 'svg',
    ssr: true,
    width: 760,
    height: 60 + categories.length * 46,
  });
  chart.setOption({
    animation: false,
    title: { text: title, left: 'center', textStyle: { fontSize: 14 } },
    legend: { top: 24 },
    grid: { left: 230, right: 60, top: 56, bottom: 24 },
    xAxis: { type: 'value', name: unit, nameLocation: 'end' },
    yAxis: { type: 'category', data: categories, inverse: true },
    series: series.map((s) => ({
      name: s.name,
      type: 'bar',
      data: s.values.map((v) => Number(v.toFixed(2))),
      label: { show: true, position: 'right' },
    })),
  });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}

function figures(result: BenchResult): Record<string, string> {
  const out: Record<string, string> = {};
  if (result.telemetry?.length) {
    const names = result.telemetry.map((e) => e.endpoint);
    out['telemetry-throughput'] = barChart(
      'Throughput, telemetry on vs off',
      names,
      [
        { name: 'on', values: result.telemetry.map((e) => e.on.rps) },
        { name: 'off', values: result.telemetry.map((e) => e.off.rps) },
      ],
      'req/s',
    );
  }
  if (result.readPath) {
    const r = result.readPath;
    out['read-path'] = barChart(
      `GET ${r.productPath}: bare server, catalog, gateway`,
      ['bare Node server', 'catalog alone', 'gateway → catalog'],
      [{ name: 'req/s', values: [r.bare.rps, r.catalog.rps, r.gateway.rps] }],
      'req/s',
    );
  }
  if (result.pipeline?.timeShares.length) {
    const shares = result.pipeline.timeShares;
    out['order-time'] = barChart(
      'Where an order’s time goes (self time per order)',
      shares.map((s) => s.where),
      [{ name: 'ms per order', values: shares.map((s) => s.msPerOrder) }],
      'ms',
    );
  }
  if (result.footprint) {
    const rows = [...result.footprint.components].sort((a, b) => b.loadMiB - a.loadMiB);
    out.footprint = barChart(
      'Resident memory per component',
      rows.map((r) => r.component),
      [
        { name: 'idle', values: rows.map((r) => r.idleMiB) },
        { name: 'under load', values: rows.map((r) => r.loadMiB) },
      ],
      'MiB',
    );
  }
  return out;
}

function markdown(result: BenchResult, svgs: string[]): string {
  const lines = [`# Benchmark ${result.startedAt}${result.quick ? ' (quick smoke: figures not meaningful)' : ''}`, ''];
  lines.push(
    `Machine: ${result.machine.cpus}, ${result.machine.memoryGiB} GiB, Node ${result.machine.node}, commit ${result.machine.commit}. Every ratio below was measured side by side in this one run.`,
    '',
  );
  lines.push('## Targets', '', '| what | target | measured | met |', '|---|---|---|---|');
  for (const t of targets(result))
    lines.push(`| ${t.what} | ${t.target} | ${t.measured} | ${t.met ? 'yes' : '**no**'} |`);
  if (result.telemetry) {
    lines.push(
      '',
      '## 1. Telemetry overhead (alternating rounds)',
      '',
      '| endpoint | on req/s | off req/s | ratio | on p50 / p99 ms | off p50 / p99 ms | p99 ratio |',
      '|---|---|---|---|---|---|---|',
    );
    for (const e of result.telemetry) {
      lines.push(
        `| ${e.endpoint} | ${n(e.on.rps, 0)} | ${n(e.off.rps, 0)} | ${n(e.throughputRatio)} | ${n(e.on.p50Ms)} / ${n(e.on.p99Ms)} | ${n(e.off.p50Ms)} / ${n(e.off.p99Ms)} | ${n(e.p99Ratio)} |`,
      );
    }
  }
  for (const e of result.telemetry ?? []) {
    lines.push(
      '',
      `CPU by process during ${e.endpoint}, last round (cores):`,
      '',
      '| process | telemetry on | telemetry off |',
      '|---|---|---|',
    );
    const base = (name: string) => name.replace(/-(on|off)$/, '');
    const names = [...new Set([...e.cpu.on, ...e.cpu.off].map((c) => base(c.component)))];
    const of = (shares: CpuShare[], name: string) =>
      shares.filter((c) => base(c.component) === name).reduce((sum, c) => sum + c.cores, 0);
    for (const name of names) lines.push(`| ${name} | ${n(of(e.cpu.on, name))} | ${n(of(e.cpu.off, name))} |`);
  }
  if (result.pipeline) {
    const p = result.pipeline;
    lines.push(
      '',
      '## 2. Order pipeline against the database',
      '',
      `pgbench (order-shaped mix, 4 clients): **${n(p.pgbenchOrdersPerSecond, 1)} orders/s**. Sustained by the shop: **${n(p.sustainedOrdersPerSecond, 1)} orders/s** (ratio ${n(p.ratio)}).`,
      '',
      'Both connect to Postgres directly: the shop runs here as bench instances of every saga service wired straight to the datastores, without Toxiproxy. A rate is sustained when, at the end of its step, no more than one second of accepted orders is still pending.',
      '',
      ...stepTable(p.steps),
    );
    if (p.timeShares.length) {
      lines.push(
        '',
        'Where the time goes (self time per order, from the traces of the best sustained step, or of the first step when none was sustained):',
        '',
        '| where | share | ms per order |',
        '|---|---|---|',
      );
      for (const t of p.timeShares) lines.push(`| ${t.where} | ${n(t.share * 100, 1)} % | ${n(t.msPerOrder)} |`);
    }
    if (p.cpu.length) {
      const total = p.cpu.reduce((sum, c) => sum + c.cores, 0);
      lines.push(
        '',
        `CPU during that step: ${n(total)} cores busy in all (the machine has ${result.machine.cpus.split(' ')[0]}):`,
        '',
        '| process tree | cores |',
        '|---|---|',
      );
      for (const c of p.cpu) lines.push(`| ${c.component} | ${n(c.cores)} |`);
    }
    if (p.throughToxiproxy.length) {
      lines.push(
        '',
        `The same rates offered to the stack as it runs, every edge through Toxiproxy: **${n(p.sustainedThroughToxiproxy, 1)} orders/s** sustained (${n(p.sustainedThroughToxiproxy / (p.sustainedOrdersPerSecond || 1))} of the direct figure; the rest is the price of the fault-injection proxy).`,
        '',
        ...stepTable(p.throughToxiproxy),
      );
    }
  }
  if (result.readPath) {
    const r = result.readPath;
    lines.push(
      '',
      '## 3. Read path against a bare server',
      '',
      '| target | req/s | p50 ms | p99 ms | ÷ bare |',
      '|---|---|---|---|---|',
    );
    lines.push(`| bare Node server | ${n(r.bare.rps, 0)} | ${n(r.bare.p50Ms)} | ${n(r.bare.p99Ms)} | 1.00 |`);
    lines.push(
      `| catalog alone | ${n(r.catalog.rps, 0)} | ${n(r.catalog.p50Ms)} | ${n(r.catalog.p99Ms)} | ${n(r.catalogRatio)} |`,
    );
    lines.push(
      `| gateway → catalog | ${n(r.gateway.rps, 0)} | ${n(r.gateway.p50Ms)} | ${n(r.gateway.p99Ms)} | ${n(r.gatewayRatio)} |`,
    );
    lines.push('', 'Gateway CPU during its measurement (V8 profile, self time):', '', '| where | share |', '|---|---|');
    for (const c of r.gatewayCpu) lines.push(`| ${c.where} | ${n(c.share * 100, 1)} % |`);
  }
  if (result.footprint) {
    const f = result.footprint;
    lines.push(
      '',
      '## 4. Footprint and start-up',
      '',
      `Start-up (\`up\`, tools cached): ${f.startupSeconds === null ? 'not measured' : `${n(f.startupSeconds, 1)} s`}. Whole stack: ${n(f.idleTotalMiB, 0)} MiB idle, ${n(f.loadTotalMiB, 0)} MiB under load.`,
      '',
      '| component | idle MiB (PSS) | peak under load MiB (PSS) |',
      '|---|---|---|',
    );
    for (const c of f.components) lines.push(`| ${c.component} | ${n(c.idleMiB, 0)} | ${n(c.loadMiB, 0)} |`);
  }
  if (result.scaling) {
    const s = result.scaling;
    lines.push('', '## 5. Scaling on this machine', '', '| | one | two | two ÷ one |', '|---|---|---|---|');
    lines.push(
      `| GET /api/products req/s (catalog instances) | ${n(s.readsPerSecond.one, 0)} | ${n(s.readsPerSecond.two, 0)} | ${n(s.readsPerSecond.two / s.readsPerSecond.one)} |`,
    );
    lines.push(
      `| orders finished /s at ${s.ordersPerSecond.offered}/s offered (payments workers) | ${n(s.ordersPerSecond.one, 1)} | ${n(s.ordersPerSecond.two, 1)} | ${n(s.ordersPerSecond.two / s.ordersPerSecond.one)} |`,
    );
  }
  lines.push('', '## Figures', '', ...svgs.map((name) => `![${name}](figures/${name}.svg)`), '');
  return lines.join('\n');
}

export function writeBenchReport(result: BenchResult, dir: string): { json: string; markdown: string } {
  mkdirSync(join(dir, 'figures'), { recursive: true });
  const svgs = figures(result);
  for (const [name, svg] of Object.entries(svgs)) writeFileSync(join(dir, 'figures', `${name}.svg`), svg);
  const json = join(dir, 'bench.json');
  const md = join(dir, 'bench.md');
  writeFileSync(json, `${JSON.stringify({ ...result, targets: targets(result) }, null, 2)}\n`);
  writeFileSync(md, markdown(result, Object.keys(svgs)));
  return { json, markdown: md };
}
