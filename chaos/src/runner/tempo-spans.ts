/**
 * Docker mode's spans through one proxy port, from Tempo's TraceQL search (GET /api/search with q,
 * start and end in Unix seconds, limit traces and spss spans per span set). Tempo exists in docker mode
 * only (it is not built here), so this is checked against the documented response shape, not a live
 * Tempo: `traces[].spanSets[].spans[]` with startTimeUnixNano and durationNanos as strings.
 */
import { host, ports } from '@confeitaria/stack/ports';
import type { TimedSpan } from '../traces/trace-file';

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

export async function tempoSpansThroughPort(port: number, fromMs: number, toMs: number): Promise<TimedSpan[]> {
  const params = new URLSearchParams({
    q: `{ kind = client && (span.server.port = ${port} || span.net.peer.port = ${port}) }`,
    start: String(Math.floor(fromMs / 1000)),
    end: String(Math.ceil(toMs / 1000)),
    limit: '500',
    spss: '20',
  });
  const response = await fetch(`${tempoUrl}/api/search?${params}`, { signal: AbortSignal.timeout(15_000) });
  if (!response.ok) throw new Error(`Tempo answered ${response.status} to a search`);
  return spansFromSearch((await response.json()) as SearchResponse, port);
}
