import assert from 'node:assert/strict';
import { test } from 'node:test';
import { niceCeiling, probeSvg, timelineSvg } from '../src/report/charts';
import { figuresOf } from '../src/report/document';
import { buildRunDocument } from '../src/report/run-document';
import { buildRunResult } from './fixtures/run-result-fixture';
import { svgProblems } from './fixtures/svg-check';

const faultBand = /<(polygon|path)[^>]*fill="rgb\(214,39,40\)"[^>]*fill-opacity="0\.16"/;

test('every figure of a run report is well-formed SVG with the fault windows shaded and labelled', () => {
  const result = buildRunResult();
  const figures = figuresOf(buildRunDocument(result, 'en'));
  assert.equal(figures.length, result.timeline.length + result.probes.length);
  assert.notDeepEqual(
    svgProblems((figures[0]?.svg ?? '').replace('</g>', '')),
    [],
    'the check itself catches a broken SVG',
  );
  for (const figure of figures) {
    assert.deepEqual(svgProblems(figure.svg), [], figure.file);
    assert.match(figure.svg, /width="800"/, figure.file);
    const windows = new Set(result.faults.map((f) => `${Math.round(f.start / 1000)}-${Math.round(f.end / 1000)}`));
    assert.equal((figure.svg.match(new RegExp(faultBand.source, 'g')) ?? []).length, windows.size, figure.file);
    for (const fault of result.faults)
      assert.ok(figure.svg.includes(`>${fault.id}</text>`), `${figure.file} labels ${fault.id}`);
    for (const phase of ['baseline', 'fault', 'recovery'])
      assert.ok(figure.svg.includes(`>${phase}</text>`), `${figure.file} names ${phase}`);
  }
});

test('ids inside the figures are unique across a report, so inline SVGs do not borrow each other’s clip paths', () => {
  const ids = figuresOf(buildRunDocument(buildRunResult(), 'en')).flatMap((f) =>
    [...f.svg.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]),
  );
  assert.ok(ids.length > 0);
  assert.equal(new Set(ids).size, ids.length);
});

test('a chart without data says so instead of failing, and keeps its axes and fault bands', () => {
  const result = buildRunResult();
  const svg = timelineSvg(
    { id: 'queue', title: { en: 'Q', 'pt-BR': 'F' }, unit: 'messages', series: [] },
    result,
    'en',
    'x',
    'Q',
  );
  assert.deepEqual(svgProblems(svg), []);
  assert.match(svg, />no data<\/text>/);
  assert.match(svg, faultBand);
  const allNull = timelineSvg(
    {
      id: 'queue',
      title: { en: 'Q', 'pt-BR': 'F' },
      unit: 'messages',
      series: [{ label: 'q', points: [[Date.now(), null]] }],
    },
    result,
    'pt-BR',
    'y',
    'Q',
  );
  assert.match(allNull, />sem dados<\/text>/);
});

test('a gap in a series breaks its line rather than joining across the missing sample', () => {
  const result = buildRunResult();
  const origin = result.phases[0]?.start ?? 0;
  const points: [number, number | null][] = [0, 5, 10, 15, 20].map((s) => [origin + s * 1000, s === 10 ? null : 1]);
  const svg = timelineSvg(
    { id: 'throughput', title: { en: 'T', 'pt-BR': 'V' }, unit: 'req/s', series: [{ label: 'a', points }] },
    result,
    'en',
    'g',
    'T',
  );
  const line = svg.match(/<path d="(M[^"]+)"[^>]*stroke="#0072B2" stroke-width="2"/);
  assert.ok(line?.[1], 'the series is drawn');
  assert.equal(line[1].match(/M/g)?.length, 2, 'two segments, one each side of the gap');
});

test('the breaker chart labels its states and the y axis carries each chart’s unit', () => {
  const result = buildRunResult();
  const byId = (id: string) => result.timeline.find((c) => c.id === id) ?? assert.fail(id);
  const breaker = timelineSvg(byId('breaker'), result, 'pt-BR', 'b', 'B');
  for (const state of ['fechado', 'semiaberto', 'aberto']) assert.ok(breaker.includes(`>${state}</text>`), state);
  assert.ok(timelineSvg(byId('errors'), result, 'en', 'e', 'E').includes('>%</text>'));
  assert.ok(timelineSvg(byId('latency'), result, 'en', 'l', 'L').includes('>ms</text>'));
  assert.ok(timelineSvg(byId('throughput'), result, 'en', 't', 'T').includes('>req/s</text>'));
  assert.ok(timelineSvg(byId('throughput'), result, 'en', 't', 'T').includes('>time since start (s)</text>'));
});

test('a probe figure draws its tolerance per phase as a green band', () => {
  const result = buildRunResult();
  const svg = probeSvg(result.probes[0] ?? assert.fail('probe'), result, 'en', 'p', 'P');
  assert.equal((svg.match(/fill="rgb\(0,158,115\)" fill-opacity="0\.14"/g) ?? []).length, 3);
});

test('axis ceilings are round numbers at or above the data', () => {
  assert.deepEqual([0.7, 3, 11, 610, 1000, 0].map(niceCeiling), [1, 5, 20, 1000, 1000, 1]);
});
