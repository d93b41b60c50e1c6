/**
 * Docker mode's spans from Tempo: those through one proxy port, from Tempo's TraceQL search (GET
 * /api/search with q, start and end in Unix seconds, limit traces and spss spans per span set), and
 * whole traces (GET /api/traces/<id>) for the report's trace figures. Tempo exists in docker mode only
 * (it is not built here), so both are checked against the documented response shapes, not a live
 * Tempo: a search answers `traces[].spanSets[].spans[]` with startTimeUnixNano and durationNanos as
 * strings; a trace is OTLP JSON, `batches[]` (or `resourceSpans[]`) of resource spans, ids in base64.
 */
import { host, ports } from '@confeitaria/stack/ports';
import { type OtlpResourceSpans, otlpSpans, type TimedSpan } from '../traces/trace-file';

/** Published on the host's loopback by docker-compose.yml; the runner's container sets TEMPO_URL. */
export const tempoUrl = process.env.TEMPO_URL ?? `http://${host}:${ports.tempo}`;

interface SearchResponse {
  traces?: {
    traceID: string;
    rootServiceName?: string;
    spanSets?: { spans?: { spanID: string; startTimeUnixNano: string; durationNanos: string }[] }[];
  }[];
}

/** Converts a TraceQL search answer into spans that dialled `port` (kind client: the query asks for it). */
export function spansFromSearch(body: SearchResponse, port: number): TimedSpan[] {
  return (body.traces ?? []).flatMap((trace) =>
    (trace.spanSets ?? []).flatMap((set) =>
      (set.spans ?? []).map((span) => {
        const startMs = Number(BigInt(span.startTimeUnixNano) / 1_000n) / 1000;
        return {
          service: trace.rootServiceName ?? '',
          traceId: trace.traceID,
          spanId: span.spanID,
          parentSpanId: '',
          name: '',
          kind: 3,
          attributes: { 'server.port': port },
          startMs,
          endMs: startMs + Number(span.durationNanos) / 1e6,
        };
      }),
    ),
  );
}

async function search(q: string, fromMs: number, toMs: number, limit: number, spss: number): Promise<SearchResponse> {
  const params = new URLSearchParams({
    q,
    start: String(Math.floor(fromMs / 1000)),
    end: String(Math.ceil(toMs / 1000)),
    limit: String(limit),
    spss: String(spss),
  });
  const response = await fetch(`${tempoUrl}/api/search?${params}`, { signal: AbortSignal.timeout(15_000) });
  if (!response.ok) throw new Error(`Tempo answered ${response.status} to a search`);
  return (await response.json()) as SearchResponse;
}

export async function tempoSpansThroughPort(port: number, fromMs: number, toMs: number): Promise<TimedSpan[]> {
  const q = `{ kind = client && (span.server.port = ${port} || span.net.peer.port = ${port}) }`;
  return spansFromSearch(await search(q, fromMs, toMs, 500, 20), port);
}

/** The ids of up to `limit` traces with a gateway request (server span) in [fromMs, toMs]. */
export async function tempoRequestTraceIds(fromMs: number, toMs: number, limit: number): Promise<string[]> {
  const body = await search('{ resource.service.name = "gateway" && kind = server }', fromMs, toMs, limit, 1);
  return (body.traces ?? []).map((trace) => trace.traceID);
}

interface TraceResponse {
  batches?: OtlpResourceSpans[];
  resourceSpans?: OtlpResourceSpans[];
}

/** Converts Tempo's answer to GET /api/traces/<id> into the trace's spans. */
export const spansFromTrace = (body: TraceResponse): TimedSpan[] => otlpSpans(body.batches ?? body.resourceSpans ?? []);

export async function tempoTrace(traceId: string): Promise<TimedSpan[]> {
  const response = await fetch(`${tempoUrl}/api/traces/${traceId}`, {
    headers: { accept: 'application/json' },
    signal: AbortSignal.timeout(15_000),
  });
  if (!response.ok) throw new Error(`Tempo answered ${response.status} for trace ${traceId}`);
  return spansFromTrace((await response.json()) as TraceResponse);
}
