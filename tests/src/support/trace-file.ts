import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
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
