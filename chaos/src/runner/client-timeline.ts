/**
 * Time to detect and to recover as the shoppers saw them (issue 17.3), beside the probes' figures: k6
 * writes every request it made to k6/requests.csv.gz (`--out csv`, times in Unix milliseconds, each
 * stamped when its response ended), and the runner cuts them into 1 s bins. A second is *out* of the
 * client's steady state when its requests' p95 is above twice the baseline's p95 plus 50 ms, or its
 * failed share is more than 5 percentage points above the baseline's (a second with fewer than
 * `minRequests` requests says nothing either way). Time to detect is the start of the first out second
 * after the first fault, counted from it; time to recover, from the end of the last fault to the start
 * of the second after which no second is out. Both are exact to the bin (1 s) and carry none of the
 * probes' rate windows; what they miss is what no shopper asked for in that second.
 */
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse';
import type { ClientTimes, PhaseWindow, TimelineChart } from '../run-result';

/** One request as k6 measured it: when its response ended, how long it took, whether it failed. */
export interface ClientRequest {
  at: number;
  durationMs: number;
  failed: boolean;
}

export const clientBinS = 1;
/** The client's latency band: a second is out above `times` × the baseline p95 + `plusMs`. */
export const clientLatencyBand = { times: 2, plusMs: 50 };
/** The client's error band: a second is out above the baseline's failed share + this. */
export const clientErrorMargin = 0.05;
/** Seconds with fewer requests are neither in nor out. */
export const minRequests = 3;

/**
 * The requests in k6's CSV output (`http_req_duration` rows; failed from the `expected_response` tag,
 * k6's own definition behind http_req_failed, or a status outside 200–399 when the tag is missing).
 */
export async function readClientRequests(file: string): Promise<ClientRequest[]> {
  const input = createReadStream(file);
  const rows = (file.endsWith('.gz') ? input.pipe(createGunzip()) : input).pipe(
    parse({ columns: true, relax_column_count: true, skip_empty_lines: true }),
  );
  const requests: ClientRequest[] = [];
  for await (const row of rows as AsyncIterable<Record<string, string>>) {
    if (row.metric_name !== 'http_req_duration') continue;
    const at = Number(row.timestamp);
    const durationMs = Number(row.metric_value);
    if (!Number.isFinite(at) || !Number.isFinite(durationMs)) continue;
    const status = Number(row.status);
    const failed =
      row.expected_response === 'true'
        ? false
        : row.expected_response === 'false'
          ? true
          : !(status >= 200 && status < 400);
    requests.push({ at, durationMs, failed });
  }
  return requests.sort((a, b) => a.at - b.at);
}

/** The p-th percentile (0–1) of sorted values, by the nearest-rank method k6 itself uses for p(95). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil(p * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

export interface ClientBin {
  /** Start of the second (epoch ms). */
  start: number;
  requests: number;
  failed: number;
  p95Ms: number;
}

/** 1 s bins of `requests` from `from` (inclusive) to `to` (exclusive), anchored at `from`. */
export function clientBins(requests: ClientRequest[], from: number, to: number): ClientBin[] {
  const bins: { start: number; durations: number[]; failed: number }[] = [];
  for (let start = from; start < to; start += clientBinS * 1000) bins.push({ start, durations: [], failed: 0 });
  for (const request of requests) {
    if (request.at < from || request.at >= to) continue;
    const bin = bins[Math.floor((request.at - from) / (clientBinS * 1000))];
    if (!bin) continue;
    bin.durations.push(request.durationMs);
    if (request.failed) bin.failed += 1;
  }
  return bins.map(({ start, durations, failed }) => ({
    start,
    requests: durations.length,
    failed,
    p95Ms: percentile(
      durations.sort((a, b) => a - b),
      0.95,
    ),
  }));
}

export interface ClientBand {
  baselineP95Ms: number;
  baselineFailedShare: number;
  latencyLimitMs: number;
  failedShareLimit: number;
}

export function clientBand(requests: ClientRequest[], baseline: PhaseWindow): ClientBand | undefined {
  const inside = requests.filter((request) => request.at >= baseline.start && request.at < baseline.end);
  if (inside.length < minRequests) return undefined;
  const baselineP95Ms = percentile(
    inside.map((request) => request.durationMs).sort((a, b) => a - b),
    0.95,
  );
  const baselineFailedShare = inside.filter((request) => request.failed).length / inside.length;
  return {
    baselineP95Ms,
    baselineFailedShare,
    latencyLimitMs: clientLatencyBand.times * baselineP95Ms + clientLatencyBand.plusMs,
    failedShareLimit: baselineFailedShare + clientErrorMargin,
  };
}

/** Whether a bin is out of the band (undefined: too few requests to say). */
export function binOut(bin: ClientBin, band: ClientBand): boolean | undefined {
  if (bin.requests < minRequests) return undefined;
  return bin.p95Ms > band.latencyLimitMs || bin.failed / bin.requests > band.failedShareLimit;
}

/**
 * The client-side times of a run: `faultStart` is the first fault's start, `faultEnd` the last one's
 * end, `end` the end of the recovery phase. Undefined without a baseline to measure against.
 */
export function clientTimes(
  requests: ClientRequest[],
  phases: PhaseWindow[],
  faultStart: number,
  faultEnd: number,
  end: number,
): ClientTimes | undefined {
  const baseline = phases.find((phase) => phase.name === 'baseline');
  if (!baseline) return undefined;
  const band = clientBand(requests, baseline);
  if (!band) return undefined;
  const detected = clientBins(requests, faultStart, end).find((bin) => binOut(bin, band) === true);
  const after = clientBins(requests, faultEnd, end).filter((bin) => binOut(bin, band) !== undefined);
  const lastOut = after.findLastIndex((bin) => binOut(bin, band) === true);
  const recovered =
    after.length === 0 || lastOut === after.length - 1
      ? null
      : lastOut === -1
        ? 0
        : ((after[lastOut + 1] as ClientBin).start - faultEnd) / 1000;
  return {
    binS: clientBinS,
    requests: requests.filter((request) => request.at >= baseline.start && request.at < end).length,
    ...band,
    timeToDetectS: detected ? (detected.start - faultStart) / 1000 : null,
    timeToRecoverS: recovered,
  };
}

/** The report's two client-side charts, per second from `from` to `end`, each with its band's limit. */
export function clientCharts(
  requests: ClientRequest[],
  times: ClientTimes,
  from: number,
  end: number,
): TimelineChart[] {
  const bins = clientBins(requests, from, end);
  const counted = (bin: ClientBin) => bin.requests >= minRequests;
  return [
    {
      id: 'client-latency',
      title: { en: 'Client latency p95 per second (k6)', 'pt-BR': 'Latência p95 no cliente por segundo (k6)' },
      unit: 's',
      series: [
        { label: 'k6 p95 per second', points: bins.map((bin) => [bin.start, counted(bin) ? bin.p95Ms / 1000 : null]) },
        { label: 'out above', points: bins.map((bin) => [bin.start, times.latencyLimitMs / 1000]) },
      ],
    },
    {
      id: 'client-errors',
      title: { en: 'Client failed share per second (k6)', 'pt-BR': 'Fração de falhas no cliente por segundo (k6)' },
      unit: 'ratio',
      series: [
        {
          label: 'k6 failed share per second',
          points: bins.map((bin) => [bin.start, counted(bin) ? bin.failed / bin.requests : null]),
        },
        { label: 'out above', points: bins.map((bin) => [bin.start, times.failedShareLimit]) },
      ],
    },
  ];
}
