/**
 * The run's traces for the report (issue 17.4): the route the fault slowed most, a typical baseline
 * request of it (nearest the baseline's median) and the fault phase's three slowest as waterfalls,
 * and the attribution of the added latency over a sample of the route's requests in both phases.
 * Traces come from the collector's trace file (local mode, docker without Tempo: every request of the
 * phases is there, up to `perPhase` of the route's are sampled evenly) or from Tempo (up to `perPhase`
 * traces with a gateway request per phase, each read whole).
 */
import type { PhaseWindow, TraceFigures } from '../run-result';
import { attribute, requestSpans, routeMostSlowed, type TracedRequest } from '../traces/attribution';
import { spanKind, spansBetween, type TimedSpan, tracesInFile } from '../traces/trace-file';
import { waterfall } from '../traces/waterfall-data';
import { tempoRequestTraceIds, tempoTrace } from './tempo-spans';

const perPhase = 100;
const tempoPerPhase = 40;
/** Spans of a request may start after the phase that holds its gateway span: read this far past it. */
const tailMs = 30_000;

const isRequest = (span: TimedSpan) => span.service === 'gateway' && span.kind === spanKind.server;
const duration = (span: TimedSpan) => span.endMs - span.startMs;
const within = (window: PhaseWindow) => (span: TimedSpan) => span.startMs >= window.start && span.startMs < window.end;

/** Up to `count` of the spans, evenly spread over time. */
export function spread(spans: TimedSpan[], count: number): TimedSpan[] {
  const byStart = [...spans].sort((a, b) => a.startMs - b.startMs);
  if (byStart.length <= count) return byStart;
  return Array.from({ length: count }, (_, i) => byStart[Math.floor((i * byStart.length) / count)] as TimedSpan);
}

/** The request whose duration is nearest the median of them all. */
export function typicalRequest(roots: TimedSpan[]): TimedSpan | undefined {
  const sorted = [...roots].sort((a, b) => duration(a) - duration(b));
  const middle = sorted.length / 2;
  const median =
    sorted.length % 2 === 1
      ? duration(sorted[Math.floor(middle)] as TimedSpan)
      : (duration(sorted[middle - 1] as TimedSpan) + duration(sorted[middle] as TimedSpan)) / 2;
  return sorted.reduce<TimedSpan | undefined>(
    (best, root) => (!best || Math.abs(duration(root) - median) < Math.abs(duration(best) - median) ? root : best),
    undefined,
  );
}

/** The requests a run's trace figures are made of: the attributed samples and the drawn ones. */
export interface PickedRequests {
  route: string;
  /** The route's requests in each phase, up to perPhase evenly spread: the attribution's sample. */
  baseline: TimedSpan[];
  fault: TimedSpan[];
  typical: TimedSpan | undefined;
  slowest: TimedSpan[];
}

/** Picks from the gateway requests of the two phases; undefined when no route had requests in both. */
export function pickRequests(roots: { baseline: TimedSpan[]; fault: TimedSpan[] }): PickedRequests | undefined {
  const route = routeMostSlowed(roots.baseline, roots.fault);
  if (route === undefined) return undefined;
  const baseline = roots.baseline.filter((root) => root.name === route);
  const fault = roots.fault.filter((root) => root.name === route);
  return {
    route,
    baseline: spread(baseline, perPhase),
    fault: spread(fault, perPhase),
    typical: typicalRequest(baseline),
    slowest: [...fault].sort((a, b) => duration(b) - duration(a)).slice(0, 3),
  };
}

const drawn = (picked: PickedRequests) => [...(picked.typical ? [picked.typical] : []), ...picked.slowest];

/** The picked requests drawn and attributed; `traceOf` gives a picked request's whole trace. */
export function figuresOf(
  picked: PickedRequests,
  traceOf: (traceId: string) => TimedSpan[],
  source: TraceFigures['source'],
): TraceFigures {
  const traced = (root: TimedSpan): TracedRequest => ({ root, spans: requestSpans(traceOf(root.traceId), root) });
  return {
    source,
    waterfalls: drawn(picked).map((root) =>
      waterfall(
        traceOf(root.traceId),
        root,
        root === picked.typical ? 'baseline' : 'fault',
        root === picked.typical ? 'typical' : 'slowest',
      ),
    ),
    attribution: attribute(picked.route, picked.baseline.map(traced), picked.fault.map(traced)),
  };
}

/** The gateway requests from a first pass over the trace file, the picked ones' traces from a second. */
async function fromFile(baseline: PhaseWindow, fault: PhaseWindow): Promise<TraceFigures | undefined> {
  const roots: TimedSpan[] = [];
  for await (const span of spansBetween(baseline.start, fault.end, (line) => line.includes('"gateway"')))
    if (isRequest(span)) roots.push(span);
  const picked = pickRequests({ baseline: roots.filter(within(baseline)), fault: roots.filter(within(fault)) });
  if (!picked) return undefined;
  const wanted = new Set([...picked.baseline, ...picked.fault, ...drawn(picked)].map((root) => root.traceId));
  const traces = new Map<string, TimedSpan[]>();
  for await (const span of spansBetween(baseline.start, fault.end + tailMs)) {
    if (!wanted.has(span.traceId)) continue;
    const trace = traces.get(span.traceId);
    if (trace) trace.push(span);
    else traces.set(span.traceId, [span]);
  }
  return figuresOf(picked, (id) => traces.get(id) ?? [], 'file');
}

/** Up to tempoPerPhase traces with a gateway request per phase, each read whole from Tempo. */
async function fromTempo(baseline: PhaseWindow, fault: PhaseWindow): Promise<TraceFigures | undefined> {
  const traces = new Map<string, TimedSpan[]>();
  const roots = { baseline: [] as TimedSpan[], fault: [] as TimedSpan[] };
  for (const [name, window] of [
    ['baseline', baseline],
    ['fault', fault],
  ] as const) {
    for (const id of await tempoRequestTraceIds(window.start, window.end, tempoPerPhase)) {
      const spans = traces.get(id) ?? (await tempoTrace(id));
      traces.set(id, spans);
      roots[name].push(...spans.filter(isRequest).filter(within(window)));
    }
  }
  const picked = pickRequests(roots);
  return picked && figuresOf(picked, (id) => traces.get(id) ?? [], 'tempo');
}

/** The run's trace figures, or undefined when its phases or traces do not allow them. */
export async function readTraceFigures(
  mode: 'local' | 'docker',
  phases: PhaseWindow[],
): Promise<TraceFigures | undefined> {
  const baseline = phases.find((phase) => phase.name === 'baseline');
  const fault = phases.find((phase) => phase.name === 'fault');
  if (!baseline || !fault) return undefined;
  return tracesInFile(mode) ? fromFile(baseline, fault) : fromTempo(baseline, fault);
}
