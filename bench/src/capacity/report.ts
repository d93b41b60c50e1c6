/**
 * The capacity report, in reports/capacity/<stamp>/: capacity.json (the CapacityResult as is),
 * capacity.md/.html (English), capacity.pt-BR.md/.html and figures/ (English) and figures/pt-BR/
 * (Portuguese): the thesis' scalability figure is throughput and latency against concurrent shoppers.
 * Built with the chaos reports' document model, so both read and cite the same way.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderSvg } from '@confeitaria/chaos/report/charts';
import { type Cell, DocumentBuilder, figuresOf, type ReportDocument } from '@confeitaria/chaos/report/document';
import { formatNumber, formatUtc } from '@confeitaria/chaos/report/format';
import { toHtml } from '@confeitaria/chaos/report/html';
import { fill, strings } from '@confeitaria/chaos/report/i18n';
import { toMarkdown } from '@confeitaria/chaos/report/markdown';
import type { Lang } from '@confeitaria/chaos/run-result';
import { crowdAddresses } from '@confeitaria/stack/k6';
import { type CapacityStrings, capacityStrings, describeThink } from './i18n';
import type { CapacityResult, CapacityStep } from './result';

const ms = (seconds: number, lang: Lang) => formatNumber(seconds * 1000, lang, 0);
const pct = (ratio: number, lang: Lang) => `${formatNumber(ratio * 100, lang, 2)} %`;
const counts = (record: Record<string, number>, none: string) =>
  Object.keys(record).length === 0
    ? none
    : Object.entries(record)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, n]) => `${key}: ${n}`)
        .join(', ');
const addressCount = () => {
  const [from = 0, to = 0] = crowdAddresses.split('-').map((ip) => Number(ip.split('.').at(-1)));
  return to - from + 1;
};

/** The processes a figure draws one bar each; the rest are summed as "other". */
function busiestProcesses(steps: CapacityStep[], limit = 6): string[] {
  const total = new Map<string, number>();
  for (const step of steps)
    for (const { process, cores } of step.cpu) total.set(process, (total.get(process) ?? 0) + cores);
  return [...total.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name]) => name);
}

const axisShoppers = (s: CapacityStrings, steps: CapacityStep[]) => ({
  type: 'category' as const,
  data: steps.map((step) => String(step.shoppers)),
  name: s.axisShoppers,
  nameLocation: 'middle' as const,
  nameGap: 28,
});
const grid = { left: 72, right: 72, top: 40, bottom: 84 };
const legend = { bottom: 4, itemWidth: 18, itemGap: 14, textStyle: { fontSize: 11 } };
const kneeLine = (result: CapacityResult, s: CapacityStrings) =>
  result.knee
    ? {
        silent: true,
        symbol: 'none',
        lineStyle: { type: 'dashed' as const, color: '#555' },
        label: { formatter: s.knee, position: 'end' as const },
        data: [{ xAxis: String(result.knee.shoppers) }],
      }
    : undefined;
const line = (name: string, data: number[], extra: Record<string, unknown> = {}) => ({
  type: 'line' as const,
  name,
  data: data.map((v) => Math.round(v * 100) / 100),
  showSymbol: true,
  symbolSize: 6,
  lineStyle: { width: 2 },
  ...extra,
});

function throughputSvg(result: CapacityResult, s: CapacityStrings, id: string, label: string): string {
  const steps = result.steps;
  return renderSvg(
    {
      grid,
      legend,
      xAxis: axisShoppers(s, steps),
      yAxis: [
        { type: 'value', min: 0, name: s.axisPerSecond, nameLocation: 'middle', nameGap: 52 },
        { type: 'value', min: 0, name: s.axisOrdersPerSecond, nameLocation: 'middle', nameGap: 48 },
      ],
      series: [
        line(
          s.seriesRequests,
          steps.map((step) => step.requestsPerSecond),
          { markLine: kneeLine(result, s) },
        ),
        line(
          s.seriesJourneys,
          steps.map((step) => step.journeysPerSecond),
          { yAxisIndex: 1 },
        ),
        line(
          s.seriesAccepted,
          steps.map((step) => step.ordersAcceptedPerSecond),
          { yAxisIndex: 1, lineStyle: { width: 2, type: 'dashed' } },
        ),
        line(
          s.seriesCompleted,
          steps.map((step) => step.ordersCompletedPerSecond),
          { yAxisIndex: 1 },
        ),
      ],
    },
    id,
    label,
  );
}

function latencySvg(result: CapacityResult, s: CapacityStrings, id: string, label: string): string {
  const steps = result.steps;
  const checkout = (q: 'p50' | 'p95' | 'p99') =>
    steps.map((step) => (step.routes.find((r) => r.route === 'POST /api/orders')?.[q] ?? 0) * 1000);
  const products = steps.map((step) => (step.routes.find((r) => r.route === 'GET /api/products')?.p95 ?? 0) * 1000);
  const slo = result.profile.sloCheckoutP95Seconds * 1000;
  return renderSvg(
    {
      grid,
      legend,
      xAxis: axisShoppers(s, steps),
      yAxis: { type: 'value', min: 0, name: s.axisMs, nameLocation: 'middle', nameGap: 52 },
      series: [
        line(fill(s.seriesCheckout, { q: 'p50' }), checkout('p50')),
        line(fill(s.seriesCheckout, { q: 'p95' }), checkout('p95'), {
          markLine: {
            silent: true,
            symbol: 'none',
            lineStyle: { type: 'dashed', color: '#D55E00' },
            label: { formatter: fill(s.seriesSlo, { slo }), position: 'insideEndTop' },
            data: [{ yAxis: slo }],
          },
        }),
        line(fill(s.seriesCheckout, { q: 'p99' }), checkout('p99'), { lineStyle: { width: 2, type: 'dotted' } }),
        line(s.seriesProductsP95, products),
      ],
    },
    id,
    label,
  );
}

function failuresSvg(result: CapacityResult, s: CapacityStrings, lang: Lang, id: string, label: string): string {
  const steps = result.steps;
  const bound = result.profile.maxFailedRatio * 100;
  return renderSvg(
    {
      grid,
      legend,
      xAxis: axisShoppers(s, steps),
      yAxis: { type: 'value', min: 0, name: s.axisPercent, nameLocation: 'middle', nameGap: 52 },
      series: [
        line(
          s.seriesFailed,
          steps.map((step) => step.failedRatio * 100),
          {
            markLine: {
              silent: true,
              symbol: 'none',
              lineStyle: { type: 'dashed', color: '#D55E00' },
              label: {
                formatter: fill(s.seriesBound, { bound: `${formatNumber(bound, lang)} %` }),
                position: 'insideEndTop',
              },
              data: [{ yAxis: bound }],
            },
          },
        ),
        line(
          s.seriesShed,
          steps.map((step) => step.shedRatio * 100),
          { lineStyle: { width: 2, type: 'dashed' } },
        ),
      ],
    },
    id,
    label,
  );
}

function cpuSvg(result: CapacityResult, s: CapacityStrings, id: string, label: string): string {
  const steps = result.steps;
  const named = busiestProcesses(steps);
  const coresOf = (step: CapacityStep, name: string) => step.cpu.find((c) => c.process === name)?.cores ?? 0;
  const bars = [
    ...named.map((name) => ({ name, data: steps.map((step) => coresOf(step, name)) })),
    {
      name: s.other,
      data: steps.map((step) =>
        step.cpu.filter((c) => !named.includes(c.process)).reduce((sum, c) => sum + c.cores, 0),
      ),
    },
  ];
  return renderSvg(
    {
      grid,
      legend,
      xAxis: axisShoppers(s, steps),
      yAxis: { type: 'value', min: 0, name: s.axisCores, nameLocation: 'middle', nameGap: 52 },
      series: bars.map((bar) => ({
        type: 'bar' as const,
        stack: 'cpu',
        name: bar.name,
        barMaxWidth: 48,
        data: bar.data.map((v) => Math.round(v * 100) / 100),
      })),
    },
    id,
    label,
  );
}

export function buildCapacityDocument(result: CapacityResult, lang: Lang): ReportDocument {
  const doc = new DocumentBuilder(lang);
  const s = capacityStrings(lang);
  const n = (value: number, digits?: number) => formatNumber(value, lang, digits);
  const knee = result.knee ? result.steps.find((step) => step.shoppers === result.knee?.shoppers) : undefined;

  // 1. Summary
  const summary = doc.section('summary', s.sectionSummary);
  if (result.quick) summary.blocks.push({ kind: 'callout', tone: 'warn', text: [s.quickRun] });
  const cpuSection = result.arrival ? 7 : 6;
  if (knee) {
    summary.blocks.push({
      kind: 'callout',
      tone: knee.shoppers >= 1000 ? 'pass' : 'warn',
      text: [
        fill(s.kneeFound, {
          shoppers: knee.shoppers,
          orders: n(knee.ordersCompletedPerSecond, 1),
          rps: n(knee.requestsPerSecond, 0),
          p95: ms(knee.checkoutP95Seconds, lang),
          failed: pct(knee.failedRatio, lang),
        }),
        ...(knee.shoppers < 1000 ? [` ${fill(s.kneeBelowTarget, { section: cpuSection })}`] : []),
      ],
    });
  } else {
    summary.blocks.push({
      kind: 'callout',
      tone: 'fail',
      text: [fill(s.kneeNone, { shoppers: result.steps[0]?.shoppers ?? 0 })],
    });
  }
  if (result.stress) {
    const stress = result.stress;
    summary.blocks.push({
      kind: 'callout',
      tone: stress.ok ? 'pass' : 'fail',
      text: [
        { strong: stress.ok ? doc.s.pass : doc.s.fail },
        ` ${fill(s.stressHeld, {
          shoppers: stress.step.shoppers,
          factor: stress.factor,
          ratio: pct(stress.goodputRatio, lang),
          min: pct(stress.minGoodputRatio, lang),
          unexpected: stress.unexpectedErrors,
        })}`,
      ],
    });
  } else {
    summary.blocks.push({
      kind: 'callout',
      tone: 'warn',
      text: [fill(s.stressNotRun, { why: result.knee ? s.stressSkipped : s.stressNoKnee })],
    });
  }
  const violated = result.audit.results.filter((r) => !r.ok).length;
  summary.blocks.push({
    kind: 'callout',
    tone: result.audit.ok ? 'pass' : 'fail',
    text: [
      result.audit.ok ? fill(s.auditClean, { n: result.audit.results.length }) : fill(s.auditDirty, { n: violated }),
    ],
  });

  // 2. Method and the steps table
  const method = doc.section('method', s.sectionMethod);
  method.blocks.push({
    kind: 'paragraph',
    text: [
      fill(s.method, {
        addresses: addressCount(),
        ramp: result.profile.rampSeconds,
        hold: result.profile.holdSeconds,
        think: describeThink(result.profile.think.model, lang),
        steps: result.profile.steps.join(', '),
      }),
    ],
  });
  method.blocks.push({ kind: 'paragraph', text: [s[`shop_${result.profile.shop ?? 'lab'}`]] });
  if (result.signIn)
    method.blocks.push({
      kind: 'paragraph',
      text: [
        fill(s.signedIn, {
          n: result.signIn.count,
          seconds: n(result.signIn.seconds, 0),
          shed: result.signIn.shedAndRetried,
        }),
      ],
    });
  method.blocks.push({
    kind: 'paragraph',
    text: [
      fill(s.kneeRule, {
        maxFailed: pct(result.profile.maxFailedRatio, lang),
        slo: ms(result.profile.sloCheckoutP95Seconds, lang),
      }),
    ],
  });
  const stepRow = (step: CapacityStep): Cell[] => [
    step === knee ? { strong: `${step.shoppers} (${s.knee})` } : String(step.shoppers),
    n(step.requestsPerSecond, 1),
    n(step.journeysPerSecond, 2),
    n(step.ordersAcceptedPerSecond, 1),
    n(step.ordersCompletedPerSecond, 1),
    pct(step.failedRatio, lang),
    pct(step.shedRatio, lang),
    ms(step.checkoutP95Seconds, lang),
    doc.verdict(step.held),
  ];
  method.blocks.push(
    doc.table(
      s.captionSteps,
      [
        s.colShoppers,
        s.colRps,
        s.colJourneys,
        s.colAccepted,
        s.colCompleted,
        s.colFailed,
        s.colShed,
        s.colCheckoutP95,
        s.colHeld,
      ],
      result.steps.map(stepRow),
      [false, true, true, true, true, true, true, true, false],
    ),
  );

  // 3. Throughput
  const throughput = doc.section('throughput', s.sectionThroughput, s.readThroughput);
  throughput.blocks.push(
    doc.figure(s.captionThroughput, 'throughput', (id, label) => throughputSvg(result, s, id, label)),
  );

  // 4. Latency
  const latency = doc.section('latency', s.sectionLatency, s.readLatency);
  latency.blocks.push(doc.figure(s.captionLatency, 'latency', (id, label) => latencySvg(result, s, id, label)));
  const routeRows: Cell[][] = result.steps.flatMap((step) =>
    step.routes.map((route) => [
      String(step.shoppers),
      { code: route.route },
      String(route.count),
      ms(route.p50, lang),
      ms(route.p95, lang),
      ms(route.p99, lang),
    ]),
  );
  latency.blocks.push(
    doc.table(s.captionRoutes, [s.colShoppers, s.colRoute, s.colCount, 'p50', 'p95', 'p99'], routeRows, [
      false,
      false,
      true,
      true,
      true,
      true,
    ]),
  );

  // 5. Failures
  const failures = doc.section('failures', s.sectionFailures, s.readFailures);
  failures.blocks.push(
    doc.figure(s.captionFailures, 'failures', (id, label) => failuresSvg(result, s, lang, id, label)),
  );
  failures.blocks.push(
    doc.table(
      s.captionStatus,
      [s.colShoppers, s.colStatus, s.colReasons],
      result.steps.map((step) => [
        String(step.shoppers),
        counts(step.byStatus, s.none),
        counts(step.shedByReason, s.none),
      ]),
    ),
  );

  // 6. Arrival (when measured)
  if (result.arrival) {
    const arrival = result.arrival;
    const section = doc.section('arrival', s.sectionArrival, s.readArrival);
    section.blocks.push(
      doc.table(
        s.captionArrival,
        [s.colLogins, s.colStatus, s.colReasons, s.colP95],
        [
          [
            String(arrival.logins),
            counts(arrival.byStatus, s.none),
            counts(arrival.shedByReason, s.none),
            ms(arrival.p95Seconds, lang),
          ],
        ],
        [true, false, false, true],
      ),
    );
  }

  // 6/7. CPU
  const cpu = doc.section('cpu', s.sectionCpu, fill(s.readCpu, { cores: result.machine.cpus }));
  cpu.blocks.push(doc.figure(s.captionCpu, 'cpu', (id, label) => cpuSvg(result, s, id, label)));
  const processes = [...new Set(result.steps.flatMap((step) => step.cpu.map((c) => c.process)))];
  const total = (name: string) =>
    result.steps.reduce((sum, step) => sum + (step.cpu.find((c) => c.process === name)?.cores ?? 0), 0);
  processes.sort((a, b) => total(b) - total(a));
  cpu.blocks.push(
    doc.table(
      s.captionCpuTable,
      [s.colProcess, ...result.steps.map((step) => String(step.shoppers))],
      processes.map((name) => [
        { code: name },
        ...result.steps.map((step) => n(step.cpu.find((c) => c.process === name)?.cores ?? 0, 2)),
      ]),
      [false, ...result.steps.map(() => true)],
    ),
  );

  // Stress
  if (result.stress && knee) {
    const stress = result.stress;
    const section = doc.section(
      'stress',
      fill(s.sectionStress, { factor: stress.factor }),
      fill(s.readStress, { min: pct(stress.minGoodputRatio, lang) }),
    );
    section.blocks.push(
      doc.table(
        s.captionStress,
        [s.colWhat, s.colValue],
        [
          [s.stressRowShoppers, `${knee.shoppers} → ${stress.step.shoppers}`],
          [
            s.stressRowGoodput,
            `${n(knee.ordersCompletedPerSecond, 1)} → ${n(stress.step.ordersCompletedPerSecond, 1)}`,
          ],
          [fill(s.stressRowRatio, { min: pct(stress.minGoodputRatio, lang) }), pct(stress.goodputRatio, lang)],
          [s.stressRowFailed, `${pct(stress.step.failedRatio, lang)} / ${pct(stress.step.shedRatio, lang)}`],
          [s.stressRowUnexpected, String(stress.unexpectedErrors)],
          [s.stressRowStatus, counts(stress.step.byStatus, s.none)],
          [s.stressRowReasons, counts(stress.step.shedByReason, s.none)],
          [s.colVerdict, doc.verdict(stress.ok)],
        ],
      ),
    );
  }

  // Auditor
  const audit = doc.section('audit', s.sectionAudit, s.readAudit);
  audit.blocks.push(
    doc.table(
      s.captionAudit,
      [s.colInvariant, s.colVerdict, s.colChecked, s.colViolations],
      result.audit.results.map((r) => [
        `${r.id}. ${r.name}`,
        doc.verdict(r.ok),
        r.checked,
        r.violations.length === 0 ? s.none : r.violations.slice(0, 3).join('; '),
      ]),
    ),
  );

  // Environment
  const env = doc.section('environment', s.sectionEnvironment);
  env.blocks.push(
    doc.table(
      s.captionEnvironment,
      [s.colWhat, s.colValue],
      [
        [s.envMachine, `${result.machine.cpus}, ${n(result.machine.memoryGiB, 0)} GiB`],
        [s.envNode, result.machine.node],
        [s.envCommit, { code: result.machine.commit }],
        [s.envStarted, formatUtc(result.startedAt)],
        [s.envEnded, formatUtc(result.endedAt)],
        [s.envK6, String(result.k6.exitCode)],
        [s.envLedger, String(result.k6.ledgerOrders)],
        [s.envSummary, { code: result.k6.summaryFile }],
      ],
    ),
  );
  env.blocks.push({ kind: 'paragraph', text: [`${s.envCommand}:`] });
  env.blocks.push({ kind: 'code', text: result.command });

  return {
    lang,
    title: s.title,
    subtitle: fill(s.subtitle, {
      started: formatUtc(result.startedAt),
      ended: formatUtc(result.endedAt),
      cpus: result.machine.cpus,
      commit: result.machine.commit,
    }),
    howToRead: s.howToRead,
    sections: doc.sections,
  };
}

/** The files of one language: `capacity` + suffix, figures in figures/ (en) or figures/pt-BR/. */
const layouts: { lang: Lang; base: string; figures: string }[] = [
  { lang: 'en', base: 'capacity', figures: 'figures' },
  { lang: 'pt-BR', base: 'capacity.pt-BR', figures: 'figures/pt-BR' },
];

/** Writes capacity.json and the report in both languages into `dir`; returns every file written. */
export async function renderCapacity(result: CapacityResult, dir: string): Promise<{ files: string[] }> {
  await mkdir(dir, { recursive: true });
  // Figures are numbered per rendering: stale ones from an earlier one would be misleading.
  await rm(join(dir, 'figures'), { recursive: true, force: true });
  const files: string[] = [];
  const json = join(dir, 'capacity.json');
  await writeFile(json, `${JSON.stringify(result, null, 2)}\n`);
  files.push(json);
  for (const layout of layouts) {
    const built = buildCapacityDocument(result, layout.lang);
    const doc: ReportDocument = {
      ...built,
      sections: built.sections.map((section) => ({
        ...section,
        blocks: section.blocks.map((block) =>
          block.kind === 'figure' ? { ...block, file: block.file.replace(/^figures\//, `${layout.figures}/`) } : block,
        ),
      })),
    };
    await mkdir(join(dir, layout.figures), { recursive: true });
    for (const figure of figuresOf(doc)) {
      const file = join(dir, figure.file);
      await writeFile(file, `${figure.svg}\n`);
      files.push(file);
    }
    const noRows = strings(layout.lang).noRows;
    const markdown = join(dir, `${layout.base}.md`);
    const html = join(dir, `${layout.base}.html`);
    await writeFile(markdown, toMarkdown(doc, noRows));
    await writeFile(html, toHtml(doc, noRows));
    files.push(markdown, html);
  }
  return { files };
}
