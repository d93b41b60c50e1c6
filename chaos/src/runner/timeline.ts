/**
 * The report's fixed charts: what users saw (k6's requests and failures, by remote write) beside what
 * the shop measured (the gateway's RED histogram, queue depths, breaker states). Windows are 15 s, three
 * scrapes, so a fault shows within seconds; `$testid` is replaced by the run's k6 test id.
 * Every query here is executed against the live Prometheus by tests/src/report-queries.test.ts.
 */
import type { I18n, TimelineChart } from '../run-result';
import { range } from './prometheus-client';

export interface ChartQuery {
  /** The legend; `{{label}}` takes a label's value from each series. */
  label: string;
  query: string;
}

export interface ChartDefinition {
  id: string;
  title: I18n;
  unit: string;
  queries: ChartQuery[];
}

const gateway = 'job="gateway"';
const workQueues = 'queue!~".*[.](parked|retry[.][0-9]+)|amq[.].*"';

export const timelineCharts: ChartDefinition[] = [
  {
    id: 'throughput',
    title: { en: 'Throughput', 'pt-BR': 'Vazão' },
    unit: 'req/s',
    queries: [
      { label: 'k6 requests', query: 'sum(rate(k6_http_reqs_total{testid="$testid"}[15s]))' },
      { label: 'gateway requests', query: `sum(rate(http_server_request_duration_seconds_count{${gateway}}[15s]))` },
      { label: 'orders finished', query: 'sum(rate(orders_finished_total[15s]))' },
    ],
  },
  {
    id: 'errors',
    title: { en: 'Error rate', 'pt-BR': 'Taxa de erros' },
    unit: 'ratio',
    queries: [
      {
        label: 'k6 failed requests',
        query:
          'sum(rate(k6_http_reqs_total{testid="$testid",expected_response="false"}[15s]) or 0 * rate(k6_http_reqs_total{testid="$testid"}[15s])) / sum(rate(k6_http_reqs_total{testid="$testid"}[15s]))',
      },
      {
        label: 'gateway 5xx',
        query: `sum(rate(http_server_request_duration_seconds_count{${gateway},status_code=~"5.."}[15s]) or 0 * rate(http_server_request_duration_seconds_count{${gateway}}[15s])) / sum(rate(http_server_request_duration_seconds_count{${gateway}}[15s]))`,
      },
    ],
  },
  {
    id: 'latency',
    title: { en: 'Gateway latency p95 / p99', 'pt-BR': 'Latência no gateway p95 / p99' },
    unit: 's',
    queries: [
      {
        label: 'p95',
        query: `histogram_quantile(0.95, sum by (le) (rate(http_server_request_duration_seconds_bucket{${gateway}}[15s])))`,
      },
      {
        label: 'p99',
        query: `histogram_quantile(0.99, sum by (le) (rate(http_server_request_duration_seconds_bucket{${gateway}}[15s])))`,
      },
    ],
  },
  {
    id: 'queue',
    title: { en: 'Messages waiting', 'pt-BR': 'Mensagens em espera' },
    unit: 'messages',
    queries: [
      { label: 'work queues', query: `sum(rabbitmq_queue_messages{${workQueues}})` },
      { label: 'outbox backlog', query: 'sum(outbox_backlog)' },
    ],
  },
  {
    id: 'breaker',
    title: {
      en: 'Circuit breakers (0 closed, 1 half-open, 2 open)',
      'pt-BR': 'Disjuntores (0 fechado, 1 semiaberto, 2 aberto)',
    },
    unit: 'state',
    queries: [{ label: '{{breaker}}', query: 'max by (breaker) (circuit_breaker_state)' }],
  },
];

export const withTestId = (query: string, testId: string) => query.replaceAll('$testid', testId);

/** Reads every chart over the run's window. A query without data gives an empty series, not an error. */
export async function readTimeline(
  testId: string,
  startMs: number,
  endMs: number,
  stepS: number,
): Promise<TimelineChart[]> {
  return Promise.all(
    timelineCharts.map(async (chart) => ({
      id: chart.id,
      title: chart.title,
      unit: chart.unit,
      series: (
        await Promise.all(
          chart.queries.map(async ({ label, query }) =>
            (
              await range(withTestId(query, testId), startMs, endMs, stepS)
            ).map((series) => ({
              label: label.replace(/\{\{(\w+)\}\}/g, (_, name: string) => series.labels[name] ?? name),
              points: series.points,
            })),
          ),
        )
      ).flat(),
    })),
  );
}
