/**
 * Order pipeline: the saga end to end. Orders in and out, each event hop (published per routing key,
 * consumed per queue), the saga's latency from accepted to terminal, and where messages wait: work,
 * retry and parking queues as RabbitMQ reports them. Queue names follow the platform broker:
 * `<service>.<event>`, `<queue>.retry.<n>` and `<queue>.parked`; `amq.*` are server-named reply queues.
 * No outbox backlog panel yet: no service exports an outbox metric, and a panel must not invent one.
 */
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { newDashboard, row, singleStat, timeSeries } from '../panels';
import { quantile, sumIncrease, sumRate } from '../promql';

const workQueues = 'queue!~".*[.](parked|retry[.][0-9]+)|amq[.].*"';
const retryQueues = 'queue=~".*[.]retry[.][0-9]+"';
const parkingQueues = 'queue=~".*[.]parked"';

export function orderPipelineDashboard(): dashboard.Dashboard {
  return newDashboard(
    'order-pipeline',
    'Order pipeline',
    'The order saga: orders in and out, every event hop, end-to-end latency, and the queues where messages wait.',
    ['saga', 'messaging'],
  )
    .withRow(row('Orders'))
    .withPanel(
      singleStat({
        title: 'Messages waiting in work queues',
        description: "Ready and unacknowledged messages across the saga's work queues. Should hover near 0.",
        queries: [{ expr: `sum(rabbitmq_queue_messages{${workQueues}})`, legend: 'messages' }],
        unit: 'short',
        thresholdSteps: [
          { value: null, color: 'green' },
          { value: 100, color: 'orange' },
          { value: 1000, color: 'red' },
        ],
      }),
    )
    .withPanel(
      singleStat({
        title: 'Parked messages',
        description: 'Messages in parking queues: each one is an event the saga gave up on and needs a human.',
        queries: [{ expr: `sum(rabbitmq_queue_messages{${parkingQueues}})`, legend: 'parked' }],
        unit: 'short',
        thresholdSteps: [
          { value: null, color: 'green' },
          { value: 1, color: 'red' },
        ],
      }),
    )
    .withPanel(
      singleStat({
        title: 'Order completion p95',
        description: 'Time from accepted to CONFIRMED or CANCELLED, 95th percentile.',
        queries: [{ expr: quantile(0.95, [], 'order_completion_seconds'), legend: 'p95' }],
        unit: 's',
        thresholdSteps: [
          { value: null, color: 'green' },
          { value: 5, color: 'orange' },
          { value: 30, color: 'red' },
        ],
      }),
    )
    .withPanel(
      singleStat({
        title: 'Payment declines',
        description: 'Share of payments the provider declined, over the rate window.',
        queries: [
          {
            expr: `${sumRate([], 'payments_total', 'outcome="declined"')} / ${sumRate([], 'payments_total')}`,
            legend: 'declined',
          },
        ],
        unit: 'percentunit',
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Orders accepted and finished',
        description: 'Orders accepted per second, and orders reaching a terminal state by status and reason.',
        queries: [
          { expr: sumRate([], 'orders_accepted_total'), legend: 'accepted' },
          { expr: sumRate(['status', 'reason'], 'orders_finished_total'), legend: '{{status}} {{reason}}' },
        ],
        unit: 'ops',
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Order completion latency',
        description:
          "Accepted → terminal state (the saga end to end), p50 and p95 by final status. Dots are exemplars linking to the order's trace.",
        queries: [
          { expr: quantile(0.5, ['status'], 'order_completion_seconds'), legend: 'p50 {{status}}', exemplar: true },
          { expr: quantile(0.95, ['status'], 'order_completion_seconds'), legend: 'p95 {{status}}', exemplar: true },
        ],
        unit: 's',
      }),
    )
    .withRow(row('Saga steps'))
    .withPanel(
      timeSeries({
        title: 'Events published by routing key',
        description: 'Saga events confirmed by the broker per second, by routing key (all services).',
        queries: [{ expr: sumRate(['routing_key'], 'messaging_published_total'), legend: '{{routing_key}}' }],
        unit: 'ops',
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Messages consumed by queue',
        description: 'Deliveries handled per second by each consuming queue, by outcome.',
        queries: [
          {
            expr: sumRate(['queue', 'outcome'], 'messaging_consume_duration_seconds_count'),
            legend: '{{queue}} {{outcome}}',
          },
        ],
        unit: 'ops',
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Consume duration p95 by queue',
        description: 'Time each saga step takes to handle one message, 95th percentile.',
        queries: [{ expr: quantile(0.95, ['queue'], 'messaging_consume_duration_seconds'), legend: '{{queue}}' }],
        unit: 's',
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Stock reservations and payments',
        description: 'Catalog reservation outcomes and payment outcomes per second: the two decisions of the saga.',
        queries: [
          { expr: sumRate(['outcome'], 'catalog_reservations_total'), legend: 'stock {{outcome}}' },
          { expr: sumRate(['outcome'], 'payments_total'), legend: 'payment {{outcome}}' },
        ],
        unit: 'ops',
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Payment provider latency',
        description: 'Time the (simulated) payment provider took to answer a charge, p50 and p95.',
        queries: [
          { expr: quantile(0.5, [], 'payment_provider_duration_seconds'), legend: 'p50' },
          { expr: quantile(0.95, [], 'payment_provider_duration_seconds'), legend: 'p95' },
        ],
        unit: 's',
        width: 24,
      }),
    )
    .withRow(row('Queues, retries and parking (DLQ)'))
    .withPanel(
      timeSeries({
        title: 'Work queue depth',
        description:
          'Messages in each work queue (ready + unacknowledged), from RabbitMQ. Growth means a consumer is behind.',
        queries: [{ expr: `sum by (queue) (rabbitmq_queue_messages{${workQueues}})`, legend: '{{queue}}' }],
        unit: 'short',
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Unacknowledged messages',
        description: 'Messages delivered to a consumer and still being handled, per work queue.',
        queries: [{ expr: `sum by (queue) (rabbitmq_queue_messages_unacked{${workQueues}})`, legend: '{{queue}}' }],
        unit: 'short',
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Retry and parking queue depth',
        description: 'Messages waiting in delay queues for another attempt, and messages parked for good.',
        queries: [
          { expr: `sum by (queue) (rabbitmq_queue_messages{${retryQueues}})`, legend: '{{queue}}' },
          { expr: `sum by (queue) (rabbitmq_queue_messages{${parkingQueues}})`, legend: '{{queue}}' },
        ],
        unit: 'short',
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Retries and parked messages (services)',
        description:
          'Messages the consumers sent to retry or parked, per queue and rate window, as the services count them.',
        queries: [
          { expr: sumIncrease(['queue'], 'messaging_retries_total'), legend: 'retried {{queue}}' },
          { expr: sumIncrease(['queue'], 'messaging_parked_total'), legend: 'parked {{queue}}' },
        ],
        unit: 'short',
      }),
    )
    .build();
}
