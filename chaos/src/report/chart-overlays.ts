/**
 * What every time figure draws over its data: the phases (faint bands, labelled above the plot, with
 * dashed boundaries), the fault windows (red bands labelled with the fault id) and the instants the
 * fault was detected and the system recovered (by the probes; on the client-side charts, as k6 saw
 * it). They ride on empty helper series so they show even when a chart has no data at all.
 */
import type { Lang, RunResult } from '../run-result';
import { runOrigin } from './format';
import { strings } from './i18n';

export const FAULT_FILL = 'rgba(214, 39, 40, 0.16)';
const phaseFill: Record<string, string> = {
  baseline: 'rgba(0, 0, 0, 0)',
  fault: 'rgba(0, 0, 0, 0.035)',
  recovery: 'rgba(0, 0, 0, 0)',
};

export function overlaySeries(result: RunResult, lang: Lang, side: 'probes' | 'client' = 'probes') {
  const times =
    side === 'client'
      ? { detect: result.clientTimes?.timeToDetectS ?? null, recover: result.clientTimes?.timeToRecoverS ?? null }
      : { detect: result.timeToDetectS, recover: result.timeToRecoverS };
  const s = strings(lang);
  const origin = runOrigin(result);
  const x = (epochMs: number) => (epochMs - origin) / 1000;
  const phaseName = (name: string) => s[`phase_${name}` as 'phase_baseline'] ?? name;

  const phases = result.phases.map((phase) => [
    {
      name: phaseName(phase.name),
      xAxis: x(phase.start),
      itemStyle: { color: phaseFill[phase.name] ?? 'rgba(0,0,0,0)' },
    },
    { xAxis: x(phase.end) },
  ]);
  const boundaries = result.phases.slice(1).map((phase) => ({ xAxis: x(phase.start) }));

  // Faults applied together (same window to the second) share one band, their ids listed in its label;
  // bands that still overlap alternate their labels between top and bottom.
  const windows = new Map<string, { start: number; end: number; ids: string[] }>();
  for (const fault of result.faults) {
    const key = `${Math.round(fault.start / 1000)}-${Math.round(fault.end / 1000)}`;
    const window = windows.get(key) ?? { start: fault.start, end: fault.end, ids: [] };
    window.ids.push(fault.id);
    windows.set(key, window);
  }
  const faults = [...windows.values()].map((window, index) => [
    {
      name: window.ids.join('\n'),
      xAxis: x(window.start),
      label: { position: index % 2 === 0 ? ('insideTop' as const) : ('insideBottom' as const) },
    },
    { xAxis: x(window.end) },
  ]);

  const instants: { name: string; xAxis: number }[] = [];
  const firstFault = Math.min(...result.faults.map((f) => f.start));
  const lastFaultEnd = Math.max(...result.faults.map((f) => f.end));
  if (times.detect !== null && Number.isFinite(firstFault)) {
    instants.push({ name: s.detected, xAxis: x(firstFault) + times.detect });
  }
  if (times.recover !== null && Number.isFinite(lastFaultEnd)) {
    instants.push({ name: s.recovered, xAxis: x(lastFaultEnd) + times.recover });
  }
  // Process exits and starts: the ones no fault explains are marked as such (they fail the verdict).
  const processMarks = (result.processEvents ?? []).map((event) => ({
    name: `${event.cause ? '' : '⚠ '}${event.process} ${event.change}`,
    xAxis: x(event.at),
    lineStyle: { color: event.cause ? '#777' : '#c00', type: 'solid' as const, width: event.cause ? 1 : 2 },
  }));

  return [
    {
      type: 'line' as const,
      data: [],
      silent: true,
      markArea: {
        silent: true,
        label: { show: true, position: 'top' as const, color: '#555', fontSize: 11 },
        data: phases as never,
      },
      markLine: {
        silent: true,
        symbol: 'none',
        lineStyle: { type: 'dashed' as const, color: '#888', width: 1 },
        label: { show: false },
        data: boundaries,
      },
    },
    {
      type: 'line' as const,
      data: [],
      silent: true,
      markArea: {
        silent: true,
        itemStyle: { color: FAULT_FILL },
        label: { show: true, color: '#8b1a1a', fontSize: 10 },
        data: faults as never,
      },
      markLine: {
        silent: true,
        symbol: 'none',
        lineStyle: { type: 'dotted' as const, color: '#444', width: 1.5 },
        label: { show: true, position: 'insideEndTop' as const, formatter: '{b}', fontSize: 10, color: '#333' },
        data: instants,
      },
    },
    {
      type: 'line' as const,
      data: [],
      silent: true,
      markLine: {
        silent: true,
        symbol: 'none',
        label: { show: true, position: 'insideStartBottom' as const, formatter: '{b}', fontSize: 9, color: '#555' },
        data: processMarks,
      },
    },
  ];
}
