/**
 * Reads the collector's trace file (local mode: OTLP JSON, one export per line, rotated at 100 MB):
 * the spans of one trace for the tests, and a run's slowest requests for the chaos reports. Tempo's
 * traces are the same OTLP JSON (otlpSpans).
 */
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { traceFile } from '@confeitaria/stack/components/collector';

export interface FlatSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string;
  boolValue?: boolean;
  doubleValue?: number;
}
interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}
/** OTLP JSON's resource spans, as the collector writes them and as Tempo answers /api/traces/<id>. */
export interface OtlpResourceSpans {
  resource?: { attributes?: OtlpAttribute[] };
  scopeSpans?: OtlpScopeSpans[];
  /** Older OTLP's name for scopeSpans (Tempo's batches may carry it). */
  instrumentationLibrarySpans?: OtlpScopeSpans[];
}
interface OtlpScopeSpans {
  spans?: {
    traceId: string;
    spanId: string;
    parentSpanId?: string;
    name: string;
    /** A number in the file; Tempo spells the enum out (`SPAN_KIND_SERVER`). */
    kind: number | string;
    startTimeUnixNano?: string;
    endTimeUnixNano?: string;
    attributes?: OtlpAttribute[];
  }[];
}
interface OtlpLine {
  resourceSpans?: OtlpResourceSpans[];
}

const plain = (value: OtlpValue) => value.stringValue ?? value.intValue ?? value.boolValue ?? value.doubleValue;

/**
 * Where the collector writes its trace file: local mode's state folder, or, in docker mode without
 * Tempo (deploy/docker/compose.engine-test.yml), the host folder mounted into the collector.
 */
export const traceFolder = process.env.CONFEITARIA_TRACE_DIR ?? dirname(traceFile);

/** Whether this run's traces are in the trace file (local mode, docker without Tempo) or in Tempo. */
export function tracesInFile(mode: 'local' | 'docker'): boolean {
  return mode === 'local' || process.env.CONFEITARIA_TRACE_DIR !== undefined;
}

/** The trace file and its rotated backups (the collector rotates it at 100 MB). */
async function traceFiles(): Promise<string[]> {
  const folder = traceFolder;
  const names = await readdir(folder).catch(() => [] as string[]);
  return names.filter((name) => name.endsWith('.jsonl')).map((name) => join(folder, name));
}

/** Every span of one trace from the collector's trace files. */
export async function spansOfTrace(traceId: string): Promise<TimedSpan[]> {
  const spans: TimedSpan[] = [];
  for await (const span of spansBetween(0, Number.POSITIVE_INFINITY, (line) => line.includes(traceId))) {
    if (span.traceId === traceId) spans.push(span);
  }
  return spans;
}

/** OTLP SpanKind values. */
export const spanKind = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 } as const;

/** A span with its timing, as the reports and the benchmarks read it. */
export interface TimedSpan extends FlatSpan {
  startMs: number;
  endMs: number;
}

/**
 * Every span that started in [fromMs, toMs], streamed from the trace files (a large file is never held
 * in memory); `keepLine` skips export lines cheaply before they are parsed.
 */
export async function* spansBetween(
  fromMs: number,
  toMs: number,
  keepLine = (_line: string) => true,
): AsyncGenerator<TimedSpan> {
  for (const file of await traceFiles()) {
    const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Number.POSITIVE_INFINITY });
    for await (const line of lines) {
      if (!line || !keepLine(line)) continue;
      for (const span of otlpSpans((JSON.parse(line) as OtlpLine).resourceSpans ?? [])) {
        if (span.startMs >= fromMs && span.startMs <= toMs) yield span;
      }
    }
  }
}

const kinds: Record<string, number> = Object.fromEntries(
  Object.entries(spanKind).map(([name, kind]) => [`SPAN_KIND_${name.toUpperCase()}`, kind]),
);

/** An id in hex: OTLP JSON writes hex, Tempo's protobuf JSON base64 (12 characters for 8 bytes, 24 for 16). */
const hexId = (id = '') => (id.length === 12 || id.length === 24 ? Buffer.from(id, 'base64').toString('hex') : id);

/** The spans of OTLP JSON resource spans, flattened with their service and times in ms. */
export function otlpSpans(resourceSpans: OtlpResourceSpans[]): TimedSpan[] {
  return resourceSpans.flatMap((resourceSpan) => {
    const service = String(
      plain(resourceSpan.resource?.attributes?.find((a) => a.key === 'service.name')?.value ?? {}) ?? '',
    );
    const scopes = resourceSpan.scopeSpans ?? resourceSpan.instrumentationLibrarySpans ?? [];
    return scopes.flatMap((scope) =>
      (scope.spans ?? []).map((span) => ({
        service,
        traceId: hexId(span.traceId),
        spanId: hexId(span.spanId),
        parentSpanId: hexId(span.parentSpanId),
        name: span.name,
        kind: typeof span.kind === 'number' ? span.kind : (kinds[span.kind] ?? 0),
        attributes: Object.fromEntries((span.attributes ?? []).map((a) => [a.key, plain(a.value)])),
        startMs: Number(BigInt(span.startTimeUnixNano ?? '0')) / 1e6,
        endMs: Number(BigInt(span.endTimeUnixNano ?? '0')) / 1e6,
      })),
    );
  });
}

export interface SlowRequest {
  traceId: string;
  durationMs: number;
  name: string;
  service: string;
}

/**
 * The `count` slowest server spans of a service (requests as the gateway saw them, by default) that
 * started in [fromMs, toMs]. Server spans, not root spans: the load generator sends its own
 * traceparent, so the gateway's spans have a parent outside the shop.
 */
export async function slowestRequests(
  fromMs: number,
  toMs: number,
  count = 5,
  service = 'gateway',
): Promise<SlowRequest[]> {
  const slowest: SlowRequest[] = [];
  for await (const span of spansBetween(fromMs, toMs, (line) => line.includes(`"${service}"`))) {
    if (span.service !== service || span.kind !== spanKind.server) continue;
    slowest.push({ traceId: span.traceId, durationMs: span.endMs - span.startMs, name: span.name, service });
    slowest.sort((a, b) => b.durationMs - a.durationMs);
    slowest.length = Math.min(slowest.length, count);
  }
  return slowest;
}
