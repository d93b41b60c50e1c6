/**
 * k6: the load tests' own view, remote-written to Prometheus by k6's experimental-prometheus-rw
 * output (stack/src/k6.ts), one `testid` per run. Trends arrive as the stats stack/src/k6.ts asks
 * for (K6_PROMETHEUS_RW_TREND_STATS = p(50),p(95),p(99),max) → `k6_<trend>_p50|p95|p99|max`; rates as
 * `k6_<rate>_rate`; counters as `k6_<counter>_total`. Requests are named by k6's `name` tag (the
 * scripts name them by route template), so the panels line up with the services' own routes.
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { labelVariable, newDashboard, row, singleStat, timeSeries } from '../panels';
import { sumRate } from '../promql';

const run = 'testid=~"$testid"';

export function k6Dashboard(): dashboard.Dashboard {
  return newDashboard(
    'k6',
    'k6 load tests',
    'Load-test metrics from k6 (remote write), one run at a time: the client side of what Overview shows.',
    ['k6', 'load'],
  )
    .withVariable(
      // Test ids start with an ISO timestamp, so sorting them descending puts the latest run first.
      labelVariable('testid', 'Test run', 'label_values(k6_vus, testid)').sort(dashboard.VariableSort.AlphabeticalDesc),
    )
    .withRow(row('Run'))
    .withPanel(
      singleStat({
        title: 'Virtual users',
        description: 'Virtual users running now (the last value of the run).',
        queries: [{ expr: `sum(k6_vus{${run}})`, legend: 'VUs' }],
        unit: 'short',
      }),
    )
    .withPanel(
      singleStat({
        title: 'Failed requests',
        description: 'Share of requests k6 counted as failed (an unexpected status), over the run.',
        queries: [{ expr: `avg(k6_http_req_failed_rate{${run}})`, legend: 'failed' }],
        unit: 'percentunit',
        thresholdSteps: [
          { value: null, color: 'green' },
          { value: 0.01, color: 'red' },
        ],
      }),
    )
    .withPanel(
      singleStat({
        title: 'Checks passed',
        description: 'Share of k6 checks that passed (all checks together).',
        queries: [{ expr: `avg(k6_checks_rate{${run}})`, legend: 'checks' }],
        unit: 'percentunit',
        thresholdSteps: [
          { value: null, color: 'red' },
          { value: 0.99, color: 'green' },
        ],
      }),
    )
    .withPanel(
      singleStat({
        title: 'Orders settled',
        description: 'Share of the orders a virtual user placed that reached CONFIRMED or CANCELLED in time.',
        queries: [{ expr: `avg(k6_order_settled_rate{${run}})`, legend: 'settled' }],
        unit: 'percentunit',
        thresholdSteps: [
          { value: null, color: 'red' },
          { value: 0.99, color: 'green' },
        ],
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Requests per second by request',
        description: 'HTTP requests k6 sent per second, by request name.',
        queries: [{ expr: sumRate(['name'], 'k6_http_reqs_total', run), legend: '{{name}}' }],
        unit: 'reqps',
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Virtual users and iterations',
        description: 'Virtual users, and complete shopper journeys (iterations) per second.',
        queries: [
          { expr: `sum(k6_vus{${run}})`, legend: 'VUs' },
          { expr: sumRate([], 'k6_iterations_total', run), legend: 'iterations/s' },
        ],
        unit: 'short',
      }),
    )
    .withRow(row('Latency seen by the client'))
    .withPanel(
      timeSeries({
        title: 'Request duration p95 by request',
        description: 'Client-side request duration, 95th percentile, by request name.',
        queries: [{ expr: `max by (name) (k6_http_req_duration_p95{${run}})`, legend: '{{name}}' }],
        unit: 's',
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Request duration: p50, p95, p99, max',
        description: 'Client-side request duration over all requests (worst request name for each statistic).',
        queries: [
          { expr: `max(k6_http_req_duration_p50{${run}})`, legend: 'p50' },
          { expr: `max(k6_http_req_duration_p95{${run}})`, legend: 'p95' },
          { expr: `max(k6_http_req_duration_p99{${run}})`, legend: 'p99' },
          { expr: `max(k6_http_req_duration_max{${run}})`, legend: 'max' },
        ],
        unit: 's',
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Checks by name',
        description: 'Pass rate of each k6 check.',
        queries: [{ expr: `avg by (check) (k6_checks_rate{${run}})`, legend: '{{check}}' }],
        unit: 'percentunit',
        max: 1,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Iteration duration',
        description: 'Time one shopper journey takes, p50 and p95.',
        queries: [
          { expr: `max(k6_iteration_duration_p50{${run}})`, legend: 'p50' },
          { expr: `max(k6_iteration_duration_p95{${run}})`, legend: 'p95' },
        ],
        unit: 's',
      }),
    )
    .build();
}
