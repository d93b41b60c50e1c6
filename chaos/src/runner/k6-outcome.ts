/** The k6 end-of-test summary (--summary-export) reduced to what a report shows. */
import { readFileSync } from 'node:fs';
import type { K6Result } from '@confeitaria/stack/k6';
import type { K6Outcome } from '../run-result';

interface SummaryMetric {
  thresholds?: Record<string, boolean>;
  count?: number;
  value?: number;
  max?: number;
  med?: number;
  'p(95)'?: number;
  'p(99)'?: number;
}

export function k6Outcome(result: K6Result, script: string): K6Outcome {
  let metrics: Record<string, SummaryMetric> = {};
  try {
    metrics = (JSON.parse(readFileSync(result.summaryFile, 'utf8')) as { metrics: Record<string, SummaryMetric> })
      .metrics;
  } catch {
    // k6 was interrupted before writing its summary: report what the ledger still tells.
  }
  const duration = metrics.http_req_duration ?? {};
  return {
    exitCode: result.exitCode,
    script,
    profile: 'chaos',
    // In the exported summary a threshold maps to true when it FAILED.
    thresholds: Object.entries(metrics).flatMap(([metric, values]) =>
      Object.entries(values.thresholds ?? {}).map(([expression, failed]) => ({ metric, expression, ok: !failed })),
    ),
    requests: metrics.http_reqs?.count ?? 0,
    failedRate: metrics.http_req_failed?.value ?? 0,
    p50Ms: duration.med ?? 0,
    p95Ms: duration['p(95)'] ?? 0,
    p99Ms: duration['p(99)'] ?? 0,
    acceptedOrders: result.ledger.length,
    iterations: metrics.iterations?.count ?? 0,
    droppedIterations: metrics.dropped_iterations?.count ?? 0,
    vusMax: metrics.vus_max?.max ?? metrics.vus_max?.value ?? 0,
    summaryFile: result.summaryFile,
  };
}
