/**
 * Reads the collector's trace file (local mode: OTLP JSON, one export per line, rotated at 100 MB):
 * the spans of one trace for the tests, and a run's slowest requests for the chaos reports.
 */
import { createReadStream } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { traceFile } from '@confeitaria/stack/dist/src/components/collector';

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
interface OtlpLine {
  resourceSpans?: {
    resource?: { attributes?: OtlpAttribute[] };
    scopeSpans?: {
      spans?: {
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        kind: number;
        startTimeUnixNano?: string;
        endTimeUnixNano?: string;
        attributes?: OtlpAttribute[];
      }[];
    }[];
  }[];
}

const plain = (value: OtlpValue) => value.stringValue ?? value.intValue ?? value.boolValue ?? value.doubleValue;

/** The trace file and its rotated backups (the collector rotates it at 100 MB). */
async function traceFiles(): Promise<string[]> {
  const folder = dirname(traceFile);
  const names = await readdir(folder).catch(() => [] as string[]);
  return names.filter((name) => name.endsWith('.jsonl')).map((name) => join(folder, name));
}

/** Every span of one trace from the collector's trace files (OTLP JSON, one export per line). */
export async function spansOfTrace(traceId: string): Promise<FlatSpan[]> {
  const texts = await Promise.all((await traceFiles()).map((file) => readFile(file, 'utf8').catch(() => '')));
  const text = texts.join('\n');
  const spans: FlatSpan[] = [];
  for (const line of text.split('\n')) {
    if (!line.includes(traceId)) continue;
    const parsed = JSON.parse(line) as OtlpLine;
    for (const resourceSpan of parsed.resourceSpans ?? []) {
      const service = String(
        plain(resourceSpan.resource?.attributes?.find((a) => a.key === 'service.name')?.value ?? {}) ?? '',
      );
      for (const scope of resourceSpan.scopeSpans ?? []) {
        for (const span of scope.spans ?? []) {
          if (span.traceId !== traceId) continue;
          spans.push({
            service,
            traceId: span.traceId,
            spanId: span.spanId,
            parentSpanId: span.parentSpanId ?? '',
            name: span.name,
            kind: span.kind,
            attributes: Object.fromEntries((span.attributes ?? []).map((a) => [a.key, plain(a.value)])),
          });
        }
      }
    }
  }
  return spans;
}

/** OTLP SpanKind SERVER. */
const serverKind = 2;

export interface SlowRequest {
  traceId: string;
  durationMs: number;
  name: string;
  service: string;
}

/**
 * The `count` slowest server spans of a service (requests as the gateway saw them, by default) that
 * started in [fromMs, toMs], streamed from the trace files so a large file is never held in memory.
 * Server spans, not root spans: the load generator sends its own traceparent, so the gateway's spans
 * have a parent outside the shop.
 */
export async function slowestRequests(
  fromMs: number,
  toMs: number,
  count = 5,
  service = 'gateway',
): Promise<SlowRequest[]> {
  const slowest: SlowRequest[] = [];
  for (const file of await traceFiles()) {
    const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Number.POSITIVE_INFINITY });
    for await (const line of lines) {
      if (!line.includes(`"${service}"`)) continue;
      const parsed = JSON.parse(line) as OtlpLine;
      for (const resourceSpan of parsed.resourceSpans ?? []) {
        const attributes = resourceSpan.resource?.attributes ?? [];
        if (plain(attributes.find((a) => a.key === 'service.name')?.value ?? {}) !== service) continue;
        for (const scope of resourceSpan.scopeSpans ?? []) {
          for (const span of scope.spans ?? []) {
            if (span.kind !== serverKind) continue;
            const startMs = Number(BigInt(span.startTimeUnixNano ?? '0') / 1_000_000n);
            if (startMs < fromMs || startMs > toMs) continue;
            const durationMs =
              Number(BigInt(span.endTimeUnixNano ?? '0') - BigInt(span.startTimeUnixNano ?? '0')) / 1e6;
            slowest.push({ traceId: span.traceId, durationMs, name: span.name, service });
            slowest.sort((a, b) => b.durationMs - a.durationMs);
            slowest.length = Math.min(slowest.length, count);
          }
        }
      }
    }
  }
  return slowest;
}
