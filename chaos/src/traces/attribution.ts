/**
 * Where the latency a fault added went, from the traces (issue 17.4): each span's self-time (its
 * duration less the union of its children's, so a parent waiting on a child is not counted twice),
 * summed per hop and averaged per request, baseline against fault. Only the request's own window
 * counts: spans are clipped to the gateway's server span, because the saga's later hops share the
 * order's trace but not the shopper's wait. Concurrent children each keep their own self-time, so
 * hops add up to the request's duration only when its children ran one after another.
 */
import { formatNumber } from '../report/format';
import { fill, strings } from '../report/i18n';
import type { HopTime, Lang, TraceAttribution } from '../run-result';
import { spanKind, type TimedSpan } from './trace-file';

/** One request: the gateway's server span and its spans (requestSpans). */
export interface TracedRequest {
  root: TimedSpan;
  spans: TimedSpan[];
}

/** The root and every span under it that started before it ended, from the spans of its trace. */
export function requestSpans(trace: TimedSpan[], root: TimedSpan): TimedSpan[] {
  const children = childrenOf(trace);
  const spans: TimedSpan[] = [];
  const visit = (span: TimedSpan) => {
    spans.push(span);
    for (const child of children.get(span.spanId) ?? []) if (child.startMs < root.endMs) visit(child);
  };
  visit(root);
  return spans;
}

/** Spans by parent span id, each list ordered by start. */
export function childrenOf(spans: TimedSpan[]): Map<string, TimedSpan[]> {
  const children = new Map<string, TimedSpan[]>();
  for (const span of spans) {
    const siblings = children.get(span.parentSpanId);
    if (siblings) siblings.push(span);
    else children.set(span.parentSpanId, [span]);
  }
  for (const list of children.values()) list.sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
  return children;
}

/** Each span's self-time in milliseconds, within the root's window, by span id. */
export function selfTimes(spans: TimedSpan[], root: TimedSpan): Map<string, number> {
  const children = childrenOf(spans);
  const self = new Map<string, number>();
  for (const span of spans) {
    const from = Math.max(span.startMs, root.startMs);
    const to = Math.min(span.endMs, root.endMs);
    const busy = (children.get(span.spanId) ?? [])
      .map((child): [number, number] => [Math.max(child.startMs, from), Math.min(child.endMs, to)])
      .filter(([start, end]) => end > start);
    self.set(span.spanId, Math.max(0, to - from) - unionLength(busy));
  }
  return self;
}

/** The length covered by intervals that may overlap. */
function unionLength(intervals: [number, number][]): number {
  let covered = 0;
  let reached = Number.NEGATIVE_INFINITY;
  for (const [start, end] of [...intervals].sort((a, b) => a[0] - b[0])) {
    if (end <= reached) continue;
    covered += end - Math.max(start, reached);
    reached = end;
  }
  return covered;
}

/**
 * A span's hop: its service, or for a client or producer span `service → peer`, the peer being the
 * service whose server span answered it, else what the span says it dialled (a database, a broker).
 */
export function hopOf(span: TimedSpan, children: Map<string, TimedSpan[]>): string {
  if (span.kind !== spanKind.client && span.kind !== spanKind.producer) return span.service;
  const answered = children.get(span.spanId)?.find((child) => child.kind === spanKind.server)?.service;
  const a = span.attributes;
  const peer =
    answered ??
    a['db.system.name'] ??
    a['db.system'] ??
    a['messaging.system'] ??
    a['peer.service'] ??
    a['server.address'];
  return `${span.service} → ${peer ?? '?'}`;
}

/** Self-time per hop, summed over one request's spans. */
function hopTimes(request: TracedRequest): Map<string, number> {
  const children = childrenOf(request.spans);
  const self = selfTimes(request.spans, request.root);
  const hops = new Map<string, number>();
  for (const span of request.spans) {
    const hop = hopOf(span, children);
    hops.set(hop, (hops.get(hop) ?? 0) + (self.get(span.spanId) ?? 0));
  }
  return hops;
}

/** Mean self-time per request of each hop over a phase's requests. */
function meanHopTimes(requests: TracedRequest[]): Map<string, number> {
  const sums = new Map<string, number>();
  for (const request of requests) for (const [hop, ms] of hopTimes(request)) sums.set(hop, (sums.get(hop) ?? 0) + ms);
  return new Map([...sums].map(([hop, ms]) => [hop, ms / Math.max(1, requests.length)]));
}

const meanDuration = (requests: TracedRequest[]) =>
  requests.reduce((sum, r) => sum + r.root.endMs - r.root.startMs, 0) / Math.max(1, requests.length);

/** Baseline against fault for one route's requests: what each hop added per request, and its share. */
export function attribute(route: string, baseline: TracedRequest[], fault: TracedRequest[]): TraceAttribution {
  const before = meanHopTimes(baseline);
  const after = meanHopTimes(fault);
  const rows = [...new Set([...before.keys(), ...after.keys()])].map((hop) => {
    const baselineMs = before.get(hop) ?? 0;
    const faultMs = after.get(hop) ?? 0;
    return { hop, baselineMs, faultMs, addedMs: faultMs - baselineMs };
  });
  const added = rows.reduce((sum, row) => sum + row.addedMs, 0);
  const hops: HopTime[] = rows
    .map((row) => ({ ...row, share: added > 0 ? row.addedMs / added : null }))
    .sort((a, b) => b.addedMs - a.addedMs || a.hop.localeCompare(b.hop));
  return {
    route,
    baselineRequests: baseline.length,
    faultRequests: fault.length,
    baselineMeanMs: meanDuration(baseline),
    faultMeanMs: meanDuration(fault),
    hops,
  };
}

/**
 * The route whose mean duration the fault raised the most (among routes seen in both phases): the
 * one the attribution explains, since an overall mean would mix cheap reads with the slowed writes.
 */
export function routeMostSlowed(baseline: TimedSpan[], fault: TimedSpan[]): string | undefined {
  const mean = (roots: TimedSpan[], route: string) => {
    const mine = roots.filter((root) => root.name === route);
    return mine.length === 0 ? undefined : mine.reduce((sum, r) => sum + r.endMs - r.startMs, 0) / mine.length;
  };
  let best: { route: string; added: number } | undefined;
  for (const route of [...new Set(fault.map((root) => root.name))].sort()) {
    const before = mean(baseline, route);
    const after = mean(fault, route);
    if (before === undefined || after === undefined) continue;
    if (!best || after - before > best.added) best = { route, added: after - before };
  }
  return best?.route;
}

/** The attribution in one line: "87 % of the added POST /api/orders latency is in orders → postgres (…)". */
export function attributionReading(attribution: TraceAttribution, lang: Lang): string {
  const s = strings(lang);
  const ms = (value: number) => formatNumber(value, lang, 1);
  const top = attribution.hops[0];
  const values = {
    route: attribution.route,
    baseline: ms(attribution.baselineMeanMs),
    fault: ms(attribution.faultMeanMs),
  };
  if (!top || top.share === null || top.addedMs <= 0) return fill(s.traceReadingNone, values);
  return fill(s.traceReading, {
    ...values,
    share: formatNumber(top.share * 100, lang, 0),
    hop: top.hop,
    added: ms(top.addedMs),
  });
}
