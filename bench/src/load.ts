/**
 * One closed-loop k6 measurement (loadtest/bench.js): VUs requests back to back for a while; returns
 * what k6's end-of-test summary says about throughput and latency.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runK6 } from '@confeitaria/stack/k6';

export interface LoadFigures {
  /** Requests per second over the measurement. */
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Share of requests that failed (non-2xx or no answer). */
  failed: number;
  requests: number;
}

export interface LoadSpec {
  target: string;
  method?: 'GET' | 'POST';
  body?: string;
  token?: string;
  vus: number;
  seconds: number;
  /** Open loop: this many requests per second instead of VUs back to back. */
  rate?: number;
}

interface SummaryMetric {
  count?: number;
  rate?: number;
  value?: number;
  med?: number;
  'p(99)'?: number;
}

let measurement = 0;

export async function measure(spec: LoadSpec, outDir: string, label: string): Promise<LoadFigures> {
  measurement += 1;
  const dir = join(outDir, 'k6', `${String(measurement).padStart(2, '0')}-${label}`);
  const result = await runK6('bench', {
    outDir: dir,
    quiet: true,
    testId: `bench-${Date.now()}-${label}`,
    env: {
      TARGET: spec.target,
      METHOD: spec.method ?? 'GET',
      BODY: spec.body ?? '',
      TOKEN: spec.token ?? '',
      VUS: String(spec.vus),
      RATE: String(spec.rate ?? 0),
      DURATION: `${spec.seconds}s`,
    },
  });
  const metrics = (JSON.parse(readFileSync(result.summaryFile, 'utf8')) as { metrics: Record<string, SummaryMetric> })
    .metrics;
  const duration = metrics.http_req_duration ?? {};
  return {
    rps: metrics.http_reqs?.rate ?? 0,
    p50Ms: duration.med ?? 0,
    p99Ms: duration['p(99)'] ?? 0,
    failed: metrics.http_req_failed?.value ?? 1,
    requests: metrics.http_reqs?.count ?? 0,
  };
}
