import './fixtures/trace-folder';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { WIDTH } from '../src/report/charts';
import { figuresOf as documentFigures, plain } from '../src/report/document';
import { buildRunDocument } from '../src/report/run-document';
import { waterfallGrid, waterfallSvg } from '../src/report/waterfall';
import { spansFromTrace } from '../src/runner/tempo-spans';
import { figuresOf, pickRequests, readTraceFigures, typicalRequest } from '../src/runner/trace-figures';
import { attribute, attributionReading, requestSpans, selfTimes } from '../src/traces/attribution';
import { spansOfTrace, type TimedSpan } from '../src/traces/trace-file';
import { waterfallRows } from '../src/traces/waterfall-data';
import { buildRunResult } from './fixtures/run-result-fixture';
import { svgProblems } from './fixtures/svg-check';

const SERVER = 2;
const CLIENT = 3;
const PRODUCER = 4;
const CONSUMER = 5;

type SpanSpec = [id: string, parent: string, service: string, name: string, kind: number, from: number, to: number];

/** A trace built by hand: ids are `<trace>-<span>`, times in ms from `at`. */
function trace(
  traceId: string,
  at: number,
  specs: SpanSpec[],
  attributes: Record<string, Record<string, unknown>> = {},
) {
  return specs.map(
    ([id, parent, service, name, kind, from, to]): TimedSpan => ({
      service,
      traceId,
      spanId: `${traceId}-${id}`,
      parentSpanId: parent === '' ? 'k6-span' : `${traceId}-${parent}`,
      name,
      kind,
      attributes: attributes[id] ?? {},
      startMs: at + from,
      endMs: at + to,
    }),
  );
}

const peers = {
  gc: { 'server.address': '127.0.0.1' },
  pg: { 'db.system': 'postgresql' },
  pg2: { 'db.system.name': 'postgresql' },
  rd: { 'db.system.name': 'redis' },
  pub: { 'messaging.system': 'rabbitmq' },
};

/** POST /api/orders: gateway → orders → postgres, redis and the broker; the saga's payment after the answer. */
const baselineOrder = trace(
  'b1',
  1_000,
  [
    ['g', '', 'gateway', 'POST /api/orders', SERVER, 0, 100],
    ['gc', 'g', 'gateway', 'POST', CLIENT, 10, 90],
    ['os', 'gc', 'orders', 'POST /orders', SERVER, 15, 85],
    ['pg', 'os', 'orders', 'pg.query:INSERT confeitaria', CLIENT, 20, 40],
    ['rd', 'os', 'orders', 'redis-SET', CLIENT, 40, 50],
    ['pub', 'os', 'orders', 'orders.created publish', PRODUCER, 50, 55],
    ['pay', 'pub', 'payments', 'orders.created process', CONSUMER, 150, 190],
  ],
  peers,
);
/** The same request under a 120 ms Postgres toxic, and a second query that runs beside the first. */
const faultOrder = trace(
  'f1',
  50_000,
  [
    ['g', '', 'gateway', 'POST /api/orders', SERVER, 0, 240],
    ['gc', 'g', 'gateway', 'POST', CLIENT, 10, 230],
    ['os', 'gc', 'orders', 'POST /orders', SERVER, 15, 225],
    ['pg', 'os', 'orders', 'pg.query:INSERT confeitaria', CLIENT, 20, 160],
    ['pg2', 'os', 'orders', 'pg.query:SELECT <a> & "b"', CLIENT, 30, 60],
    ['rd', 'os', 'orders', 'redis-SET', CLIENT, 160, 170],
    ['pub', 'os', 'orders', 'orders.created publish', PRODUCER, 170, 175],
    ['pay', 'pub', 'payments', 'orders.created process', CONSUMER, 300, 340],
  ],
  peers,
);
const products = (traceId: string, at: number, ms: number) =>
  trace(traceId, at, [['g', '', 'gateway', 'GET /api/products', SERVER, 0, ms]]);
const baselineProducts = products('b2', 2_000, 20);
const faultProducts = products('f2', 51_000, 22);

const root = (spans: TimedSpan[]) => spans[0] as TimedSpan;
const bySpan = (map: Map<string, number>) => Object.fromEntries([...map].map(([id, ms]) => [id.split('-')[1], ms]));

test('a span’s self-time is its duration less the union of its children’s, within the request', () => {
  assert.deepEqual(bySpan(selfTimes(requestSpans(baselineOrder, root(baselineOrder)), root(baselineOrder))), {
    g: 20,
    gc: 10,
    os: 35,
    pg: 20,
    rd: 10,
    pub: 5,
  });
  // pg2 runs inside pg: orders waits 155 ms on its children, not 185; each query keeps its own time.
  assert.deepEqual(bySpan(selfTimes(requestSpans(faultOrder, root(faultOrder)), root(faultOrder))), {
    g: 20,
    gc: 10,
    os: 55,
    pg: 140,
    pg2: 30,
    rd: 10,
    pub: 5,
  });
  assert.ok(
    !requestSpans(faultOrder, root(faultOrder)).some((span) => span.service === 'payments'),
    'the saga’s hop after the answer is not part of the request',
  );
});

test('the added latency is attributed per hop, with its share and a one-line reading in both languages', () => {
  const request = (spans: TimedSpan[]) => ({ root: root(spans), spans: requestSpans(spans, root(spans)) });
  const attribution = attribute('POST /api/orders', [request(baselineOrder)], [request(faultOrder)]);
  assert.deepEqual(
    attribution.hops.map(({ hop, baselineMs, faultMs, addedMs }) => [hop, baselineMs, faultMs, addedMs]),
    [
      ['orders → postgresql', 20, 170, 150],
      ['orders', 35, 55, 20],
      ['gateway', 20, 20, 0],
      ['gateway → orders', 10, 10, 0],
      ['orders → rabbitmq', 5, 5, 0],
      ['orders → redis', 10, 10, 0],
    ],
  );
  assert.deepEqual(
    attribution.hops.map((hop) => hop.share),
    [150 / 170, 20 / 170, 0, 0, 0, 0],
  );
  assert.equal(attribution.baselineMeanMs, 100);
  assert.equal(attribution.faultMeanMs, 240);
  assert.equal(
    attributionReading(attribution, 'en'),
    '88 % of the added POST /api/orders latency is in orders → postgresql (+150.0 ms per request; the route took 100.0 ms in the baseline and 240.0 ms under the fault, on average).',
  );
  assert.equal(
    attributionReading(attribution, 'pt-BR'),
    '88 % da latência adicionada de POST /api/orders está em orders → postgresql (+150,0 ms por requisição; a rota levou 100,0 ms na linha de base e 240,0 ms sob a falha, em média).',
  );
  const unchanged = attribute('POST /api/orders', [request(baselineOrder)], [request(baselineOrder)]);
  assert.ok(unchanged.hops.every((hop) => hop.addedMs === 0 && hop.share === null));
  assert.equal(
    attributionReading(unchanged, 'en'),
    'POST /api/orders was not slower under the fault (100.0 ms in the baseline, 100.0 ms under it, on average): there is no added latency to attribute.',
  );
});

test('the route the fault slowed most is attributed, its typical baseline and slowest fault requests drawn', () => {
  const traces = new Map(
    [baselineOrder, faultOrder, baselineProducts, faultProducts].map((spans) => [root(spans).traceId, spans]),
  );
  const picked = pickRequests({
    baseline: [root(baselineProducts), root(baselineOrder)],
    fault: [root(faultOrder), root(faultProducts)],
  });
  assert.ok(picked);
  assert.equal(picked.route, 'POST /api/orders');
  const figures = figuresOf(picked, (id) => traces.get(id) ?? [], 'file');
  assert.deepEqual(
    figures.waterfalls.map((w) => [w.traceId, w.phase, w.pick, w.durationMs]),
    [
      ['b1', 'baseline', 'typical', 100],
      ['f1', 'fault', 'slowest', 240],
    ],
  );
  assert.equal(figures.attribution?.hops[0]?.addedMs, 150);
  assert.equal(pickRequests({ baseline: [root(baselineProducts)], fault: [root(faultOrder)] }), undefined);
  const at = (ms: number) => ({ ...root(baselineOrder), spanId: String(ms), endMs: root(baselineOrder).startMs + ms });
  assert.equal(typicalRequest([at(10), at(90), at(40), at(55), at(200)])?.spanId, '55', 'nearest the median, 55');
});

test('a waterfall lists the request’s spans depth first, children by start, with offsets and self-times', () => {
  assert.deepEqual(
    waterfallRows(faultOrder, root(faultOrder)).map((r) => [
      r.depth,
      r.service,
      r.name,
      r.startMs,
      r.durationMs,
      r.selfMs,
    ]),
    [
      [0, 'gateway', 'POST /api/orders', 0, 240, 20],
      [1, 'gateway', 'POST', 10, 220, 10],
      [2, 'orders', 'POST /orders', 15, 210, 55],
      [3, 'orders', 'pg.query:INSERT confeitaria', 20, 140, 140],
      [3, 'orders', 'pg.query:SELECT <a> & "b"', 30, 30, 30],
      [3, 'orders', 'redis-SET', 160, 10, 10],
      [3, 'orders', 'orders.created publish', 170, 5, 5],
    ],
  );
});

test('the waterfall figure is one vector bar per span at its start and length on the ms axis', () => {
  const rows = waterfallRows(faultOrder, root(faultOrder));
  const svg = waterfallSvg(
    { traceId: 'f1', route: 'POST /api/orders', phase: 'fault', pick: 'slowest', durationMs: 240, rows },
    'en',
    'wf',
    'Figure 1. <waterfall>',
  );
  assert.deepEqual(svgProblems(svg), []);
  assert.doesNotMatch(svg, /<image\b/);
  // Bars are the rectangles without a transform (the legend's swatches carry one).
  const bars = [
    ...svg.matchAll(/<path d="M([\d.]+) ([\d.]+)l([\d.]+) 0l0 [\d.]+l-[\d.]+ 0Z" fill="(#[0-9A-F]+)"/g),
  ].map(([, x, y, width, fill]) => ({ x: Number(x), y: Number(y), width: Number(width), fill }));
  assert.equal(bars.length, rows.length);
  // The axis ends at 250 ms (a round number above the longest span's 240 ms): 420 px for 250 ms.
  const pxPerMs = (WIDTH - waterfallGrid.left - waterfallGrid.right) / 250;
  rows.forEach((row, i) => {
    assert.ok(Math.abs((bars[i]?.x ?? 0) - (waterfallGrid.left + row.startMs * pxPerMs)) < 0.01, `bar ${i} x`);
    assert.ok(Math.abs((bars[i]?.width ?? 0) - row.durationMs * pxPerMs) < 0.01, `bar ${i} width`);
    if (i > 0) assert.ok((bars[i]?.y ?? 0) > (bars[i - 1]?.y ?? 0), `bar ${i} below the one before`);
  });
  assert.deepEqual([...new Set(bars.map((bar) => bar.fill))], ['#0072B2', '#E69F00'], 'one colour per service');
  assert.ok(svg.includes('>orders: pg.query:SELECT &lt;a&gt; &amp; &quot;b&quot;</text>'), 'text escaped');
  assert.ok(svg.includes('aria-label="Figure 1. &lt;waterfall&gt;"'));
  assert.ok(svg.includes('>240 ms</text>'));
});

test('the run report shows the waterfalls, the attribution table and its reading, and where the traces are', () => {
  const traces = new Map([baselineOrder, faultOrder].map((spans) => [root(spans).traceId, spans]));
  const picked = pickRequests({ baseline: [root(baselineOrder)], fault: [root(faultOrder)] });
  assert.ok(picked);
  for (const source of ['file', 'tempo'] as const) {
    const result = { ...buildRunResult(), traceFigures: figuresOf(picked, (id) => traces.get(id) ?? [], source) };
    const doc = buildRunDocument(result, 'en');
    const section = doc.sections.find((s) => s.id === 'traces');
    assert.ok(section);
    const figures = section.blocks.filter((b) => b.kind === 'figure');
    assert.equal(figures.length, 2);
    assert.match(
      figures[1]?.caption ?? '',
      /one of the fault phase’s slowest requests \(POST \/api\/orders, 240 ms\), trace f1/,
    );
    assert.equal(documentFigures(doc).length, buildRunResult().timeline.length + buildRunResult().probes.length + 2);
    const table = section.blocks.find((b) => b.kind === 'table' && b.head[0] === 'Hop');
    assert.ok(table?.kind === 'table');
    assert.deepEqual(table.rows[0]?.map(plain), ['orders → postgresql', '20.0', '170.0', '150.0', '88.2']);
    const text = section.blocks.flatMap((b) => (b.kind === 'paragraph' ? [b.text.map(plain).join('')] : []));
    assert.ok(
      text.some((line) => line.startsWith('88 % of the added POST /api/orders latency is in orders → postgresql')),
    );
    if (source === 'file') assert.ok(text.some((line) => line.includes('the figures below are the traces themselves')));
    else assert.ok(text.some((line) => line.includes('Grafana → Explore → Tempo') && line.endsWith(' b1, f1')));
  }
});

/** OTLP JSON as the collector writes it (and Tempo answers): hex ids in the file, base64 in Tempo. */
function otlpExport(spans: TimedSpan[], id: (hex: string) => string, kindName = false) {
  const services = [...new Set(spans.map((span) => span.service))];
  const kinds = [
    '',
    'SPAN_KIND_INTERNAL',
    'SPAN_KIND_SERVER',
    'SPAN_KIND_CLIENT',
    'SPAN_KIND_PRODUCER',
    'SPAN_KIND_CONSUMER',
  ];
  return services.map((service) => ({
    resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
    scopeSpans: [
      {
        spans: spans
          .filter((span) => span.service === service)
          .map((span) => ({
            traceId: id(span.traceId),
            spanId: id(span.spanId),
            parentSpanId: id(span.parentSpanId),
            name: span.name,
            kind: kindName ? kinds[span.kind] : span.kind,
            startTimeUnixNano: String(BigInt(span.startMs) * 1_000_000n),
            endTimeUnixNano: String(BigInt(span.endMs) * 1_000_000n),
            attributes: Object.entries(span.attributes).map(([key, value]) => ({ key, value: { stringValue: value } })),
          })),
      },
    ],
  }));
}

/** The hand-built trace with real-looking ids: 32 hex digits for the trace, 16 for each span. */
const hexIds = (spans: TimedSpan[]) => {
  const hex = (text: string, digits: number) => Buffer.from(text).toString('hex').padStart(digits, '0').slice(-digits);
  return spans.map((span) => ({
    ...span,
    traceId: hex(span.traceId, 32),
    spanId: hex(span.spanId, 16),
    parentSpanId: hex(span.parentSpanId, 16),
  }));
};

test('a trace written to the collector’s trace file reads back whole, and attributes the same', async () => {
  const epoch = Date.parse('2026-11-24T10:00:00.000Z');
  const spans = hexIds(faultOrder).map((span) => ({
    ...span,
    startMs: span.startMs + epoch,
    endMs: span.endMs + epoch,
  }));
  const folder = process.env.CONFEITARIA_TRACE_DIR ?? '';
  const lines = [spans.slice(0, 3), spans.slice(3)].map((part) =>
    JSON.stringify({ resourceSpans: otlpExport(part, (h) => h) }),
  );
  writeFileSync(join(folder, 'traces.jsonl'), `${lines.join('\n')}\n`);
  const read = await spansOfTrace(root(spans).traceId);
  assert.equal(read.length, spans.length);
  const readRoot = read.find((span) => span.spanId === root(spans).spanId);
  assert.ok(readRoot);
  // Nanoseconds since 1970 are past a double's 53 bits: read back to within a microsecond.
  const us = (ms: number) => Math.round(ms * 1000) / 1000;
  assert.deepEqual(
    waterfallRows(read, readRoot).map((r) => [r.depth, us(r.startMs), us(r.durationMs), us(r.selfMs)]),
    waterfallRows(faultOrder, root(faultOrder)).map((r) => [r.depth, r.startMs, r.durationMs, r.selfMs]),
  );
});

test('at the end of a local run, the trace figures are read from the trace file: route, requests drawn, attribution', async () => {
  const epoch = Date.parse('2026-11-24T10:00:00.000Z');
  const shifted = (spans: TimedSpan[]) =>
    hexIds(spans).map((span) => ({ ...span, startMs: span.startMs + epoch, endMs: span.endMs + epoch }));
  const traces = [baselineOrder, baselineProducts, faultOrder, faultProducts].map(shifted);
  const lines = traces.map((spans) => JSON.stringify({ resourceSpans: otlpExport(spans, (h) => h) }));
  writeFileSync(join(process.env.CONFEITARIA_TRACE_DIR ?? '', 'traces.jsonl'), `${lines.join('\n')}\n`);
  const figures = await readTraceFigures('local', [
    { name: 'baseline', start: epoch, end: epoch + 30_000 },
    { name: 'fault', start: epoch + 30_000, end: epoch + 90_000 },
    { name: 'recovery', start: epoch + 90_000, end: epoch + 150_000 },
  ]);
  assert.ok(figures);
  assert.equal(figures.source, 'file');
  assert.deepEqual(
    figures.waterfalls.map((w) => [w.traceId, w.pick, w.rows.length]),
    [
      [root(traces[0] ?? []).traceId, 'typical', 6],
      [root(traces[2] ?? []).traceId, 'slowest', 7],
    ],
  );
  assert.ok(figures.attribution);
  assert.deepEqual(
    [figures.attribution.route, figures.attribution.baselineRequests, figures.attribution.faultRequests],
    ['POST /api/orders', 1, 1],
  );
  assert.match(
    attributionReading(figures.attribution, 'en'),
    /^88 % of the added POST \/api\/orders latency is in orders → postgresql/,
  );
});

test('Tempo’s answer to /api/traces/<id> (batches, base64 ids, kinds by name) reads as the same spans', () => {
  const spans = hexIds(baselineOrder);
  const base64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');
  const read = spansFromTrace({ batches: otlpExport(spans, base64, true) as never });
  assert.deepEqual(
    read.map((span) => [span.service, span.traceId, span.spanId, span.parentSpanId, span.kind, span.name]),
    spans
      .map((span) => [span.service, span.traceId, span.spanId, span.parentSpanId, span.kind, span.name])
      .sort(
        (a, b) =>
          ['gateway', 'orders', 'payments'].indexOf(String(a[0])) -
          ['gateway', 'orders', 'payments'].indexOf(String(b[0])),
      ),
  );
  const readRoot = read.find((span) => span.kind === SERVER && span.service === 'gateway');
  assert.ok(readRoot);
  assert.deepEqual(
    [...selfTimes(requestSpans(read, readRoot), readRoot).values()].sort((a, b) => a - b),
    [5, 10, 10, 20, 20, 35],
  );
  assert.deepEqual(spansFromTrace({ resourceSpans: otlpExport(spans, (h) => h) as never }).length, spans.length);
});
