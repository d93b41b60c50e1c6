/**
 * One request's trace as the rows of a waterfall figure (report/waterfall.ts): depth first from the
 * gateway's server span, each span's children in the order they started, times relative to the
 * request's start.
 */
import type { PhaseName, Waterfall, WaterfallRow } from '../run-result';
import { childrenOf, requestSpans, selfTimes } from './attribution';
import type { TimedSpan } from './trace-file';

export function waterfallRows(trace: TimedSpan[], root: TimedSpan): WaterfallRow[] {
  const spans = requestSpans(trace, root);
  const children = childrenOf(spans);
  const self = selfTimes(spans, root);
  const rows: WaterfallRow[] = [];
  const visit = (span: TimedSpan, depth: number) => {
    rows.push({
      depth,
      service: span.service,
      name: span.name,
      startMs: span.startMs - root.startMs,
      durationMs: span.endMs - span.startMs,
      selfMs: self.get(span.spanId) ?? 0,
    });
    for (const child of children.get(span.spanId) ?? []) visit(child, depth + 1);
  };
  visit(root, 0);
  return rows;
}

export function waterfall(trace: TimedSpan[], root: TimedSpan, phase: PhaseName, pick: Waterfall['pick']): Waterfall {
  return {
    traceId: root.traceId,
    route: root.name,
    phase,
    pick,
    durationMs: root.endMs - root.startMs,
    rows: waterfallRows(trace, root),
  };
}
