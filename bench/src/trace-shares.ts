/**
 * Where an order's time goes, from its traces: each span's self time (its duration minus its children's)
 * attributed to the service that spent it, to the database for its queries, and to the broker for the
 * wait between a publish and its consumption. Shares of the total over the orders of a window.
 */
import { spanKind, spansBetween, type TimedSpan } from '@confeitaria/chaos/traces/trace-file';

export interface TimeShare {
  where: string;
  share: number;
  /** Mean milliseconds per order. */
  msPerOrder: number;
}

function attribute(span: TimedSpan): string {
  const db = span.attributes['db.system'] ?? span.attributes['db.system.name'];
  if (span.kind === spanKind.client && db) return String(db);
  if (span.kind === spanKind.producer) return 'rabbitmq (publish)';
  return span.service;
}

/** Shares over the orders (gateway POST /api/orders traces) accepted in [fromMs, toMs]. */
export async function timeShares(fromMs: number, toMs: number): Promise<TimeShare[]> {
  const byTrace = new Map<string, TimedSpan[]>();
  const orders = new Set<string>();
  // The saga finishes after the request: follow each trace for up to 30 s past the window.
  for await (const span of spansBetween(fromMs, toMs + 30_000)) {
    if (
      span.service === 'gateway' &&
      span.kind === spanKind.server &&
      span.name === 'POST /api/orders' &&
      span.startMs <= toMs
    ) {
      orders.add(span.traceId);
    }
    const list = byTrace.get(span.traceId) ?? [];
    list.push(span);
    byTrace.set(span.traceId, list);
  }
  const totals = new Map<string, number>();
  for (const traceId of orders) {
    const spans = byTrace.get(traceId) ?? [];
    const byId = new Map(spans.map((span) => [span.spanId, span]));
    const childTime = new Map<string, number>();
    for (const span of spans) {
      const parent = byId.get(span.parentSpanId);
      if (!parent) continue;
      if (span.kind === spanKind.consumer && parent.kind === spanKind.producer) {
        // Queue wait: from the publish confirmed to the consumer starting. Not the publisher's time.
        const wait = Math.max(0, span.startMs - parent.endMs);
        totals.set('rabbitmq (queue wait)', (totals.get('rabbitmq (queue wait)') ?? 0) + wait);
        continue;
      }
      const overlap = Math.max(0, Math.min(span.endMs, parent.endMs) - Math.max(span.startMs, parent.startMs));
      childTime.set(parent.spanId, (childTime.get(parent.spanId) ?? 0) + overlap);
    }
    for (const span of spans) {
      const self = Math.max(0, span.endMs - span.startMs - (childTime.get(span.spanId) ?? 0));
      totals.set(attribute(span), (totals.get(attribute(span)) ?? 0) + self);
    }
  }
  const all = [...totals.values()].reduce((sum, ms) => sum + ms, 0) || 1;
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .map(([where, ms]) => ({ where, share: ms / all, msPerOrder: orders.size ? ms / orders.size : 0 }));
}
