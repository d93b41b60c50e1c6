/**
 * The few Prometheus HTTP API calls the runner makes: an instant query (live progress) and a range
 * query (probes and charts, read after each phase so late-arriving samples are in).
 */
import { host, ports } from '@confeitaria/stack/ports';

export const prometheusUrl = process.env.PROMETHEUS_URL ?? `http://${host}:${ports.prometheus}`;

interface PromSeries {
  metric: Record<string, string>;
  value?: [number, string];
  values?: [number, string][];
}

async function api(path: string, params: Record<string, string>): Promise<PromSeries[]> {
  const response = await fetch(`${prometheusUrl}${path}`, {
    method: 'POST',
    body: new URLSearchParams(params),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await response.json()) as { status: string; error?: string; data?: { result: PromSeries[] } };
  if (body.status !== 'success') throw new Error(`Prometheus refused ${params.query}: ${body.error}`);
  return body.data?.result ?? [];
}

const number = (text: string): number | null => {
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
};

/** The value of a single-series query now, or null when it has no series (or NaN). */
export async function instant(query: string): Promise<number | null> {
  const [first] = await api('/api/v1/query', { query });
  return first?.value ? number(first.value[1]) : null;
}

/** Every series of an instant query evaluated at `atMs`, with its labels. */
export async function instantAt(
  query: string,
  atMs: number,
): Promise<{ labels: Record<string, string>; value: number | null }[]> {
  const series = await api('/api/v1/query', { query, time: String(atMs / 1000) });
  return series.map((s) => ({ labels: s.metric, value: s.value ? number(s.value[1]) : null }));
}

/** Every series of a range query as [epoch ms, value] points, with the series' labels. */
export async function range(
  query: string,
  startMs: number,
  endMs: number,
  stepS: number,
): Promise<{ labels: Record<string, string>; points: [number, number | null][] }[]> {
  const series = await api('/api/v1/query_range', {
    query,
    start: String(startMs / 1000),
    end: String(endMs / 1000),
    step: String(stepS),
  });
  return series.map((s) => ({
    labels: s.metric,
    points: (s.values ?? []).map(([t, v]) => [Math.round(t * 1000), number(v)] as [number, number | null]),
  }));
}

/** Ready to answer queries (the runner waits for it, and refuses to judge a run without it). */
export async function prometheusReady(): Promise<boolean> {
  try {
    return (await fetch(`${prometheusUrl}/-/ready`, { signal: AbortSignal.timeout(2_000) })).ok;
  } catch {
    return false;
  }
}
