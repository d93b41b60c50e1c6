/**
 * The figure sections of a run report: one figure per timeline chart and a table of phase means, then
 * one figure per probe. Means are taken over the samples inside each phase window, gaps left out. The
 * traces section's waterfalls and latency attribution are here too (traceFigureBlocks).
 */
import type { Lang, PhaseName, RunResult, TimelineSeries, TraceFigures } from '../run-result';
import { attributionReading } from '../traces/attribution';
import { probeSvg, timelineSvg } from './charts';
import type { Block, Cell, DocumentBuilder } from './document';
import { displayUnit, formatIn, formatNumber } from './format';
import { fill, seriesLabel } from './i18n';
import { waterfallSvg } from './waterfall';

const phaseOrder: PhaseName[] = ['baseline', 'fault', 'recovery'];
const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') || 'chart';

function phaseMean(series: TimelineSeries, window: { start: number; end: number } | undefined): number | null {
  if (!window) return null;
  const values = series.points
    .filter(([t, v]) => v !== null && t >= window.start && t < window.end)
    .map(([, v]) => v as number);
  return values.length === 0 ? null : values.reduce((sum, v) => sum + v, 0) / values.length;
}

function peak(series: TimelineSeries): number | null {
  const values = series.points.map(([, v]) => v).filter((v): v is number => v !== null);
  return values.length === 0 ? null : Math.max(...values);
}

export function timelineSection(doc: DocumentBuilder, result: RunResult): void {
  const { s, lang } = doc;
  const section = doc.section('timeline', s.sectionTimeline, s.readTimeline);
  const faults = result.faults.map((f) => f.id).join(', ') || s.none;
  const windows = new Map(result.phases.map((p) => [p.name, p]));
  const rows: Cell[][] = [];
  for (const chart of result.timeline) {
    const title = chart.title[lang];
    const unit = displayUnit(chart.unit, lang);
    const caption = fill(s.figureCaption, { title, unit: unit.label, faults });
    const figure = doc.figure(caption, slug(chart.id), (id, label) =>
      timelineSvg(renamed(chart, lang), result, lang, id, label),
    );
    section.blocks.push(figure);
    for (const series of chart.series) {
      rows.push([
        figure.label,
        `${title} — ${seriesLabel(series.label, lang)}`,
        unit.label,
        ...phaseOrder.map((phase) => formatIn(phaseMean(series, windows.get(phase)), chart.unit, lang)),
        formatIn(peak(series), chart.unit, lang),
      ]);
    }
  }
  const head = [
    s.colChart,
    s.colSeries,
    s.colUnit,
    ...phaseOrder.map((p) => fill(s.colMean, { phase: s[`phase_${p}`] })),
    s.colPeak,
  ];
  section.blocks.push(doc.table(s.captionSeries, head, rows, [false, false, false, true, true, true, true]));
  const rise = requestRateRise(result, lang);
  if (rise) section.blocks.push({ kind: 'paragraph', text: [fill(s.requestRateRise, rise)] });
}

/**
 * When k6's request rate rose by a fifth or more in the fault phase, why (the journeys arrive at a
 * fixed rate, and each polls its order until the saga settles it: a slower saga, more polls per
 * journey), with the figures; undefined when it did not.
 */
function requestRateRise(result: RunResult, lang: Lang): Record<string, string> | undefined {
  const series = result.timeline
    .find((chart) => chart.id === 'throughput')
    ?.series.find((s) => s.label === 'k6 requests');
  if (!series) return undefined;
  const baseline = phaseMean(
    series,
    result.phases.find((phase) => phase.name === 'baseline'),
  );
  const fault = phaseMean(
    series,
    result.phases.find((phase) => phase.name === 'fault'),
  );
  if (baseline === null || fault === null || baseline <= 0 || fault < baseline * 1.2) return undefined;
  return {
    baseline: formatNumber(baseline, lang, 1),
    fault: formatNumber(fault, lang, 1),
    rate: formatNumber(result.config.rate, lang, 0),
  };
}

/** The chart with its series labels in the report's language (the runner writes them in English). */
const renamed = (chart: RunResult['timeline'][number], lang: Lang) => ({
  ...chart,
  series: chart.series.map((series) => ({ ...series, label: seriesLabel(series.label, lang) })),
});

export function probesSection(doc: DocumentBuilder, result: RunResult): void {
  const { s, lang } = doc;
  if (result.probes.length === 0) return;
  const section = doc.section('probes', s.sectionProbes, s.readProbes);
  for (const probe of result.probes) {
    const title = probe.title[lang];
    const unit = displayUnit(probe.unit, lang);
    const caption = fill(s.probeCaption, { title, unit: unit.label });
    section.blocks.push(
      doc.figure(caption, `probe-${slug(probe.name)}`, (id, label) => probeSvg(probe, result, lang, id, label)),
    );
  }
}

/**
 * The run's traces as figures (issue 17.4): where they were read (a local reader has no Tempo, so the
 * figure is the trace; a docker reader gets the ids to open in Tempo), one waterfall per drawn request,
 * then the attribution of the added latency per hop and its one-line reading.
 */
export function traceFigureBlocks(doc: DocumentBuilder, traces: TraceFigures): Block[] {
  const { s, lang } = doc;
  const ms = (value: number) => formatNumber(value, lang, 1);
  const blocks: Block[] = [
    traces.source === 'file'
      ? { kind: 'paragraph', text: [s.traceFiguresFile] }
      : {
          kind: 'paragraph',
          text: [
            s.traceFiguresTempo,
            ...traces.waterfalls.flatMap((w, i) => [i === 0 ? ' ' : ', ', { code: w.traceId }]),
          ],
        },
  ];
  for (const trace of traces.waterfalls) {
    const caption = fill(s.captionWaterfall, {
      which: trace.pick === 'typical' ? s.waterfallTypical : s.waterfallSlowest,
      route: trace.route,
      duration: formatNumber(trace.durationMs, lang),
      traceId: trace.traceId,
    });
    blocks.push(
      doc.figure(caption, `trace-${trace.traceId.slice(0, 12)}`, (id, label) => waterfallSvg(trace, lang, id, label)),
    );
  }
  const attribution = traces.attribution;
  if (!attribution) return blocks;
  blocks.push(
    doc.table(
      fill(s.captionAttribution, {
        route: attribution.route,
        baseline: attribution.baselineRequests,
        fault: attribution.faultRequests,
      }),
      [s.colHop, s.colBaselineMs, s.colFaultMs, s.colAddedMs, s.colShare],
      attribution.hops.map((hop) => [
        hop.hop,
        ms(hop.baselineMs),
        ms(hop.faultMs),
        ms(hop.addedMs),
        hop.share === null ? '—' : formatNumber(hop.share * 100, lang, 1),
      ]),
      [false, true, true, true, true],
    ),
    { kind: 'paragraph', text: [{ strong: attributionReading(attribution, lang) }] },
  );
  return blocks;
}
