/**
 * The report's figures, drawn server-side by ECharts into SVG strings (no canvas, no browser): one
 * per timeline chart, one per probe, one for the suite's scores. Every time figure shares the same
 * overlays — phases as faint labelled bands, fault windows as red bands labelled with the fault id,
 * the detection and recovery instants as dotted lines — and the same x axis: seconds since t = 0.
 */
import * as echarts from 'echarts';
import type { Lang, ProbeResult, RunResult, TimelineChart } from '../run-result';
import { overlaySeries } from './chart-overlays';
import { displayUnit, formatNumber, runEnd, runOrigin } from './format';
import { strings } from './i18n';

export const WIDTH = 800;
export const HEIGHT = 320;
/** Okabe–Ito, colour-blind safe; red is left out because it means "fault". */
export const palette = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#000000', '#F0E442'];
export const font = "'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif";

type Option = echarts.EChartsOption;

/** Renders an option to SVG with ids made unique per figure, so many SVGs can share one HTML page. */
export function renderSvg(option: Option, idPrefix: string, label: string, height = HEIGHT): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: WIDTH, height });
  try {
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      color: palette,
      textStyle: { fontFamily: font, fontSize: 12, color: '#222' },
      ...option,
    });
    return chart
      .renderToSVGString()
      .replace(/\bzr\d+-/g, `${idPrefix}-`)
      .replace(/ ecmeta_\w+="[^"]*"/g, '')
      .replace('<svg ', `<svg role="img" aria-label="${escapeAttribute(label)}" `);
  } finally {
    chart.dispose();
  }
}

const escapeAttribute = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The time axis and grid every time figure shares. */
function timeFrame(result: RunResult, lang: Lang, unitLabel: string) {
  const lengthS = Math.max(1, (runEnd(result) - runOrigin(result)) / 1000);
  return {
    grid: { left: 72, right: 28, top: 48, bottom: 78 },
    xAxis: {
      type: 'value' as const,
      min: 0,
      max: Math.ceil(lengthS),
      name: strings(lang).axisTime,
      nameLocation: 'middle' as const,
      nameGap: 28,
      splitLine: { show: false },
    },
    yUnitName: unitLabel,
  };
}

const noData = (lang: Lang) => ({
  text: strings(lang).noData,
  left: 'center',
  top: 'middle',
  textStyle: { color: '#777', fontSize: 16, fontWeight: 'normal' as const, fontFamily: font },
});

const legend = { bottom: 4, type: 'plain' as const, itemWidth: 18, itemGap: 16, textStyle: { fontSize: 11 } };

/** One figure of the run's timeline: its series as lines (the breaker chart as steps), unit on the y axis. */
export function timelineSvg(
  chart: TimelineChart,
  result: RunResult,
  lang: Lang,
  idPrefix: string,
  label: string,
): string {
  const origin = runOrigin(result);
  const unit = displayUnit(chart.unit, lang);
  const frame = timeFrame(result, lang, unit.label);
  const isBreaker = chart.unit === 'state';
  const s = strings(lang);
  const stateNames = [s.breaker_closed, s.breaker_halfOpen, s.breaker_open];
  const lines = chart.series.map((series) => ({
    type: 'line' as const,
    name: series.label,
    showSymbol: series.points.length < 3,
    connectNulls: false,
    step: isBreaker ? ('end' as const) : undefined,
    lineStyle: { width: 2 },
    data: series.points.map(([t, v]) => [(t - origin) / 1000, v === null ? null : v * unit.factor]),
  }));
  const hasData = chart.series.some((series) => series.points.some(([, v]) => v !== null));
  return renderSvg(
    {
      title: hasData ? undefined : noData(lang),
      grid: frame.grid,
      legend: { ...legend, data: lines.map((line) => line.name) },
      xAxis: frame.xAxis,
      yAxis: {
        type: 'value',
        name: unit.label,
        nameLocation: 'middle',
        nameGap: isBreaker ? 62 : 52,
        ...(isBreaker
          ? { min: 0, max: 2, interval: 1, axisLabel: { formatter: (v: number) => stateNames[v] ?? String(v) } }
          : { min: 0 }),
      },
      series: [...lines, ...overlaySeries(result, lang, chart.id.startsWith('client-') ? 'client' : 'probes')],
    },
    idPrefix,
    label,
  );
}

/** One probe's samples across the phases, with its tolerance per phase drawn as a green band. */
export function probeSvg(probe: ProbeResult, result: RunResult, lang: Lang, idPrefix: string, label: string): string {
  const origin = runOrigin(result);
  const unit = displayUnit(probe.unit, lang);
  const frame = timeFrame(result, lang, unit.label);
  const samples = probe.phases
    .flatMap((phase) => phase.samples)
    .sort((a, b) => a[0] - b[0])
    .map(([t, v]) => [(t - origin) / 1000, v === null ? null : v * unit.factor]);
  const values = samples.map(([, v]) => v).filter((v): v is number => v !== null);
  const bounds = probe.phases.flatMap((phase) =>
    [phase.tolerance.min, phase.tolerance.max].filter((b): b is number => b !== undefined).map((b) => b * unit.factor),
  );
  const top = Math.max(0, ...values, ...bounds);
  const windows = new Map(result.phases.map((phase) => [phase.name, phase]));
  const bands = probe.phases.flatMap((phase) => {
    const window = windows.get(phase.phase);
    if (!window) return [];
    const from: Record<string, number | string> = { xAxis: (window.start - origin) / 1000 };
    const to: Record<string, number | string> = { xAxis: (window.end - origin) / 1000 };
    from.yAxis = phase.tolerance.min !== undefined ? phase.tolerance.min * unit.factor : 0;
    to.yAxis = phase.tolerance.max !== undefined ? phase.tolerance.max * unit.factor : top * 1.15 || 1;
    return [[from, to]];
  });
  return renderSvg(
    {
      title: values.length > 0 ? undefined : noData(lang),
      grid: frame.grid,
      legend: { ...legend, data: [probe.name, strings(lang).tolerance] },
      xAxis: frame.xAxis,
      yAxis: {
        type: 'value',
        name: unit.label,
        nameLocation: 'middle',
        nameGap: 52,
        min: 0,
        max: niceCeiling(top * 1.15),
      },
      series: [
        {
          type: 'line',
          name: probe.name,
          showSymbol: true,
          symbolSize: 4,
          connectNulls: false,
          lineStyle: { width: 2 },
          data: samples,
        },
        {
          type: 'line',
          name: strings(lang).tolerance,
          data: [],
          itemStyle: { color: 'rgba(0, 158, 115, 0.35)' },
          markArea: { silent: true, itemStyle: { color: 'rgba(0, 158, 115, 0.14)' }, data: bands as never },
        },
        ...overlaySeries(result, lang),
      ],
    },
    idPrefix,
    label,
  );
}

/** 1, 2 or 5 times a power of ten at or above `value`, so an axis ends on a round number. */
export function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].find((m) => m * power >= value) ?? 10;
  return step * power;
}

/** The suite's scores as horizontal bars (0–100 points), beside the previous suite's when there is one. */
export function scoresSvg(
  rows: { name: string; score: number; previous?: number | null }[],
  lang: Lang,
  names: { current: string; previous?: string },
  idPrefix: string,
  label: string,
): string {
  const categories = rows.map((row) => row.name).reverse();
  const round = (v: number | null | undefined) => (v === null || v === undefined ? null : Math.round(v * 10) / 10);
  const bars = [{ type: 'bar' as const, name: names.current, data: rows.map((r) => round(r.score)).reverse() }];
  if (names.previous)
    bars.unshift({ type: 'bar', name: names.previous, data: rows.map((r) => round(r.previous)).reverse() });
  return renderSvg(
    {
      color: names.previous ? ['#9e9e9e', '#0072B2'] : ['#0072B2'],
      grid: { left: 190, right: 40, top: 20, bottom: 70 },
      legend: { ...legend, itemGap: 24 },
      xAxis: { type: 'value', min: 0, max: 100, name: strings(lang).unit_points, nameLocation: 'middle', nameGap: 28 },
      yAxis: { type: 'category', data: categories, axisLabel: { width: 170, overflow: 'truncate' } },
      series: bars.map((bar) => ({
        ...bar,
        label: {
          show: true,
          position: 'right',
          fontSize: 10,
          formatter: (p: { value: unknown }) => formatNumber(Number(p.value), lang, 1),
        },
        barMaxWidth: 18,
      })),
    },
    idPrefix,
    label,
    Math.max(160, 100 + rows.length * (names.previous ? 40 : 28)),
  );
}
