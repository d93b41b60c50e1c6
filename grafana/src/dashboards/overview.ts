/**
 * Overview: the four golden signals for every service side by side (traffic, errors, latency,
 * saturation), and the business outcome they serve: orders accepted and finished. RED comes from one
 * source only, the services' own `http_server_request_duration_seconds` histogram (job = service).
 */
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { newDashboard, row, singleStat, timeSeries } from '../panels';
import { quantile, serverErrorRatio, sumRate } from '../promql';

const http = 'http_server_request_duration_seconds';
const gateway = 'job="gateway"';

export function overviewDashboard(): dashboard.Dashboard {
  return newDashboard(
    'overview',
    'Overview',
    'Golden signals per service and the orders they carry. Start here; open Service detail for one service.',
    ['overview'],
  )
    .withRow(row('At the edge (gateway)'))
    .withPanel(
      singleStat({
        title: 'Requests per second',
        description: 'Requests the gateway answered per second: all traffic that reached the shop.',
        queries: [{ expr: sumRate([], `${http}_count`, gateway), legend: 'req/s' }],
        unit: 'reqps',
      }),
    )
    .withPanel(
      singleStat({
        title: '5xx ratio',
        description: 'Share of gateway responses that were server errors. Client errors (4xx) are not counted.',
        queries: [{ expr: serverErrorRatio([], gateway), legend: '5xx' }],
        unit: 'percentunit',
        thresholdSteps: [
          { value: null, color: 'green' },
          { value: 0.001, color: 'orange' },
          { value: 0.01, color: 'red' },
        ],
      }),
    )
    .withPanel(
      singleStat({
        title: 'p99 latency',
        description: '99th percentile of gateway response time over the rate window.',
        queries: [{ expr: quantile(0.99, [], http, gateway), legend: 'p99' }],
        unit: 's',
        thresholdSteps: [
          { value: null, color: 'green' },
          { value: 0.5, color: 'orange' },
          { value: 1, color: 'red' },
        ],
      }),
    )
    .withPanel(
      singleStat({
        title: 'Orders accepted per minute',
        description: 'Orders answered 202 by the orders service (written together with their order.created event).',
        queries: [{ expr: `${sumRate([], 'orders_accepted_total')} * 60`, legend: 'orders/min' }],
        unit: 'short',
      }),
    )
    .withRow(row('Golden signals per service'))
    .withPanel(
      timeSeries({
        title: 'Traffic: requests per second',
        description: 'Inbound HTTP requests per second, per service.',
        queries: [{ expr: sumRate(['job'], `${http}_count`), legend: '{{job}}' }],
        unit: 'reqps',
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Errors: 5xx ratio',
        description: "Share of each service's responses that were 5xx. 0 means it answered without server errors.",
        queries: [{ expr: serverErrorRatio(['job']), legend: '{{job}}' }],
        unit: 'percentunit',
        min: 0,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Latency: p95',
        description:
          '95th percentile response time per service. Dots are exemplars: click one to open its trace in Tempo.',
        queries: [{ expr: quantile(0.95, ['job'], http), legend: '{{job}}', exemplar: true }],
        unit: 's',
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Latency: p99',
        description: '99th percentile response time per service, with exemplars linking to traces.',
        queries: [{ expr: quantile(0.99, ['job'], http), legend: '{{job}}', exemplar: true }],
        unit: 's',
      }),
    )
    .withRow(row('Saturation'))
    .withPanel(
      timeSeries({
        title: 'Event-loop lag p99',
        description:
          'How long ready callbacks waited for the Node event loop (p99, worst instance per service). Rising lag means CPU-bound work is delaying every request.',
        queries: [{ expr: 'max by (job) (nodejs_eventloop_lag_p99_seconds)', legend: '{{job}}' }],
        unit: 's',
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Heap used',
        description:
          "V8 heap in use, summed over each service's instances. Steady growth under flat traffic suggests a leak.",
        queries: [{ expr: 'sum by (job) (nodejs_heap_size_used_bytes)', legend: '{{job}}' }],
        unit: 'bytes',
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Shed requests by reason',
        description:
          "Requests refused at once with 429/503 and Retry-After instead of being served late: rate_limited and login_throttled (a client over its budget), hashing_busy (identity's password-hashing queue full), saga_behind (new orders held back while the saga catches up). See docs/capacity.md.",
        queries: [{ expr: sumRate(['reason'], 'http_requests_shed_total'), legend: '{{reason}}' }],
        unit: 'reqps',
        min: 0,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Admission gates: running and waiting',
        description:
          "Work inside each admission gate (identity's password hashing: at most HASH_CONCURRENCY at once) and callers waiting for a slot (at most HASH_QUEUE_LIMIT; one more is shed).",
        queries: [
          { expr: 'sum by (gate) (admission_gate_in_flight)', legend: '{{gate}} running' },
          { expr: 'sum by (gate) (admission_gate_queued)', legend: '{{gate}} waiting' },
        ],
        unit: 'short',
        min: 0,
      }),
    )
    .withRow(row('Orders'))
    .withPanel(
      timeSeries({
        title: 'Orders accepted and finished',
        description:
          'Orders accepted per second against orders reaching a terminal state, by status and reason. In a healthy shop finished follows accepted within seconds.',
        queries: [
          { expr: sumRate([], 'orders_accepted_total'), legend: 'accepted' },
          { expr: sumRate(['status', 'reason'], 'orders_finished_total'), legend: '{{status}} {{reason}}' },
        ],
        unit: 'ops',
        width: 24,
      }),
    )
    .build();
}
