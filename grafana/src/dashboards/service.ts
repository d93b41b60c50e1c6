/**
 * Service detail, one service at a time (the `job` variable): RED by route, the Node runtime, its
 * messaging (consumers and publishers), and how it protects itself from its dependencies (circuit
 * breakers, upstream retries and ejections). The variable lists every Node service, not only those
 * with HTTP traffic: payments only consumes and publishes, and belongs here too.
 */
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { labelVariable, newDashboard, row, stateTimeline, timeSeries, valueNames } from '../panels';
import { quantile, serverErrorRatio, sumIncrease, sumRate } from '../promql';

const http = 'http_server_request_duration_seconds';
const job = 'job="$job"';

export function serviceDashboard(): dashboard.Dashboard {
  return newDashboard(
    'service',
    'Service detail',
    'One service in depth: RED by route, runtime, messaging and resilience. Pick the service above.',
    ['service'],
  )
    .withVariable(labelVariable('job', 'Service', 'label_values(nodejs_version_info, job)'))
    .withRow(row('Requests (RED by route)'))
    .withPanel(
      timeSeries({
        title: 'Request rate by route',
        description: 'Requests per second by method and route template.',
        queries: [{ expr: sumRate(['method', 'route'], `${http}_count`, job), legend: '{{method}} {{route}}' }],
        unit: 'reqps',
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Responses by status code',
        description: 'Responses per second by status code, stacked. 4xx are client mistakes; 5xx are ours.',
        queries: [{ expr: sumRate(['status_code'], `${http}_count`, job), legend: '{{status_code}}' }],
        unit: 'reqps',
        stacked: true,
      }),
    )
    .withPanel(
      timeSeries({
        title: '5xx ratio by route',
        description: "Share of each route's responses that were 5xx (0 when the route answered without server errors).",
        queries: [{ expr: serverErrorRatio(['method', 'route'], job), legend: '{{method}} {{route}}' }],
        unit: 'percentunit',
        min: 0,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'p95 latency by route',
        description: '95th percentile response time per route. Dots are exemplars: click one to open its trace.',
        queries: [
          { expr: quantile(0.95, ['method', 'route'], http, job), legend: '{{method}} {{route}}', exemplar: true },
        ],
        unit: 's',
      }),
    )
    .withRow(row('Runtime (Node)'))
    .withPanel(
      timeSeries({
        title: 'Event-loop lag',
        description: 'Delay of the event loop per instance: p50, p99 and the worst sample.',
        queries: [
          { expr: `nodejs_eventloop_lag_p50_seconds{${job}}`, legend: 'p50 {{instance}}' },
          { expr: `nodejs_eventloop_lag_p99_seconds{${job}}`, legend: 'p99 {{instance}}' },
          { expr: `nodejs_eventloop_lag_max_seconds{${job}}`, legend: 'max {{instance}}' },
        ],
        unit: 's',
        width: 8,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Heap',
        description: 'V8 heap used and allocated per instance.',
        queries: [
          { expr: `nodejs_heap_size_used_bytes{${job}}`, legend: 'used {{instance}}' },
          { expr: `nodejs_heap_size_total_bytes{${job}}`, legend: 'total {{instance}}' },
        ],
        unit: 'bytes',
        width: 8,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'GC time per second',
        description: 'Seconds spent in garbage collection per second, by GC kind (0.1 = 10% of the time).',
        queries: [{ expr: sumRate(['kind'], 'nodejs_gc_duration_seconds_sum', job), legend: '{{kind}}' }],
        unit: 's',
        width: 8,
      }),
    )
    .withRow(row('Messaging'))
    .withPanel(
      timeSeries({
        title: 'Messages consumed by queue and outcome',
        description: 'Deliveries handled per second: acked, sent to a retry queue, or parked.',
        queries: [
          {
            expr: sumRate(['queue', 'outcome'], 'messaging_consume_duration_seconds_count', job),
            legend: '{{queue}} {{outcome}}',
          },
        ],
        unit: 'ops',
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Consume duration p95 by queue',
        description: 'Time to handle one message, 95th percentile, per queue.',
        queries: [{ expr: quantile(0.95, ['queue'], 'messaging_consume_duration_seconds', job), legend: '{{queue}}' }],
        unit: 's',
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Events published by routing key',
        description: 'Events published and confirmed by the broker per second (from the outbox relay).',
        queries: [{ expr: sumRate(['routing_key'], 'messaging_published_total', job), legend: '{{routing_key}}' }],
        unit: 'ops',
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Retries and parked messages',
        description:
          'Messages sent to a delay queue after their handler failed, and messages parked (unparseable, or failed on every attempt), per rate window.',
        queries: [
          { expr: sumIncrease(['queue'], 'messaging_retries_total', job), legend: 'retried {{queue}}' },
          { expr: sumIncrease(['queue'], 'messaging_parked_total', job), legend: 'parked {{queue}}' },
        ],
        unit: 'short',
      }),
    )
    .withRow(row('Resilience'))
    .withPanel(
      stateTimeline({
        title: 'Circuit breakers',
        description: 'State of each circuit breaker in this service over time (worst instance).',
        queries: [{ expr: `max by (breaker) (circuit_breaker_state{${job}})`, legend: '{{breaker}}' }],
        unit: 'none',
        width: 24,
        mappings: valueNames({ 0: ['closed', 'green'], 1: ['half-open', 'orange'], 2: ['open', 'red'] }),
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Upstream retries',
        description: 'Idempotent calls to another service repeated after no answer or a 502/503/504, per second.',
        queries: [{ expr: sumRate(['upstream'], 'upstream_retries_total', job), legend: '{{upstream}}' }],
        unit: 'ops',
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Upstream ejections',
        description:
          'Upstream instances taken out of rotation for a while (unreachable or timed out), per rate window.',
        queries: [{ expr: sumIncrease(['upstream'], 'upstream_ejections_total', job), legend: '{{upstream}}' }],
        unit: 'short',
      }),
    )
    .build();
}
