/**
 * Infrastructure: what the services stand on. Postgres primary and streaming replica (labelled
 * role="primary"/"replica" by the scrape targets), Redis, RabbitMQ, the Toxiproxy proxies every
 * service-to-dependency hop goes through, and the OpenTelemetry collector. Series names are the
 * exporters' own: postgres-exporter (plus `pg_replication_lag`, a custom query the stack installs),
 * redis_exporter, RabbitMQ's rabbitmq_prometheus plugin, toxiproxy -proxy-metrics, otelcol telemetry.
 * The local stack's supervisor (stack_*, local mode only) shows which processes it had to restart.
 */
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { newDashboard, row, singleStat, timeSeries, valueNames } from '../panels';
import { sumIncrease, sumRate } from '../promql';

const databases = 'datname!~"template.*"';
const upDown = valueNames({ 0: ['down', 'red'], 1: ['up', 'green'] });

export function infrastructureDashboard(): dashboard.Dashboard {
  return newDashboard(
    'infrastructure',
    'Infrastructure',
    'Postgres (with replication lag), Redis, RabbitMQ, Toxiproxy and the OpenTelemetry collector.',
    ['infrastructure'],
  )
    .withRow(row('Scrape targets'))
    .withPanel(
      singleStat({
        title: 'Targets up by job',
        description: 'Prometheus scrape targets answering, per job: 1 each when everything is up.',
        queries: [{ expr: 'min by (job) (up)', legend: '{{job}}' }],
        unit: 'none',
        width: 24,
        mappings: upDown,
        thresholdSteps: [
          { value: null, color: 'red' },
          { value: 1, color: 'green' },
        ],
      }),
    )
    .withRow(row('Local supervisor'))
    .withPanel(
      timeSeries({
        title: 'Process restarts (local supervisor)',
        description:
          'Processes of the local stack (services, tools, infrastructure) the supervisor restarted because they exited or failed their liveness probe, per component. Local mode only: in docker mode Docker restarts containers and this stays empty.',
        queries: [{ expr: sumIncrease(['component'], 'stack_restarts_total'), legend: '{{component}}' }],
        unit: 'short',
        width: 16,
      }),
    )
    .withPanel(
      singleStat({
        title: 'Processes down or held',
        description:
          'Supervised processes not running right now, and those the supervisor is told to leave alone (held: `npm run stack -- hold`, or a chaos fault window).',
        queries: [
          { expr: 'sum(1 - stack_component_up)', legend: 'down' },
          { expr: 'sum(stack_component_held)', legend: 'held' },
        ],
        unit: 'none',
        width: 8,
        height: 8,
        thresholdSteps: [
          { value: null, color: 'green' },
          { value: 1, color: 'orange' },
        ],
      }),
    )
    .withRow(row('Postgres'))
    .withPanel(
      singleStat({
        title: 'Postgres up',
        description: 'Whether each exporter reaches its server.',
        queries: [{ expr: 'max by (role) (pg_up)', legend: '{{role}}' }],
        unit: 'none',
        mappings: upDown,
        thresholdSteps: [
          { value: null, color: 'red' },
          { value: 1, color: 'green' },
        ],
      }),
    )
    .withPanel(
      singleStat({
        title: 'Replica lag',
        description: "Seconds the replica's replay is behind the primary (0 when it has replayed all it received).",
        queries: [{ expr: 'max(pg_replication_lag{role="replica"})', legend: 'lag' }],
        unit: 's',
        thresholdSteps: [
          { value: null, color: 'green' },
          { value: 1, color: 'orange' },
          { value: 10, color: 'red' },
        ],
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Replica replay delay',
        description: "Seconds the replica's replay is behind the primary, over time.",
        queries: [{ expr: 'max(pg_replication_lag{role="replica"})', legend: 'replay delay' }],
        unit: 's',
        width: 6,
        height: 4,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'WAL not yet replayed',
        description: 'Bytes of WAL the primary has sent beyond what each standby has replayed (pg_stat_replication).',
        queries: [
          {
            expr: 'max by (application_name) (pg_stat_replication_pg_wal_lsn_diff)',
            legend: '{{application_name}}',
          },
        ],
        unit: 'bytes',
        width: 6,
        height: 4,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Connections by database',
        description: 'Backends per database and server, against max_connections.',
        queries: [
          { expr: `sum by (role, datname) (pg_stat_activity_count{${databases}})`, legend: '{{role}} {{datname}}' },
          { expr: 'max by (role) (pg_settings_max_connections)', legend: 'max {{role}}' },
        ],
        unit: 'short',
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Transactions per second',
        description: 'Commits and rollbacks per second, per database on the primary.',
        queries: [
          {
            expr: sumRate(['datname'], 'pg_stat_database_xact_commit', `role="primary", ${databases}`),
            legend: 'commit {{datname}}',
          },
          {
            expr: sumRate(['datname'], 'pg_stat_database_xact_rollback', `role="primary", ${databases}`),
            legend: 'rollback {{datname}}',
          },
        ],
        unit: 'ops',
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Locks and deadlocks',
        description: 'Locks held by mode on the primary, and deadlocks detected per second.',
        queries: [
          { expr: 'sum by (mode) (pg_locks_count{role="primary"})', legend: '{{mode}}' },
          { expr: sumRate([], 'pg_stat_database_deadlocks', 'role="primary"'), legend: 'deadlocks/s' },
        ],
        unit: 'short',
        width: 24,
      }),
    )
    .withRow(row('Redis'))
    .withPanel(
      singleStat({
        title: 'Redis up',
        description: 'Whether the exporter reaches Redis.',
        queries: [{ expr: 'max(redis_up)', legend: 'redis' }],
        unit: 'none',
        mappings: upDown,
        thresholdSteps: [
          { value: null, color: 'red' },
          { value: 1, color: 'green' },
        ],
        height: 8,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Redis commands and clients',
        description: 'Commands processed per second, and connected clients.',
        queries: [
          { expr: sumRate([], 'redis_commands_processed_total'), legend: 'commands/s' },
          { expr: 'sum(redis_connected_clients)', legend: 'clients' },
        ],
        unit: 'short',
        width: 9,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Redis memory',
        description: 'Memory used by Redis, and its resident set size.',
        queries: [
          { expr: 'sum(redis_memory_used_bytes)', legend: 'used' },
          { expr: 'sum(redis_memory_used_rss_bytes)', legend: 'rss' },
        ],
        unit: 'bytes',
        width: 9,
      }),
    )
    .withRow(row('RabbitMQ'))
    .withPanel(
      timeSeries({
        title: 'Messages in queues',
        description: 'Messages ready for delivery and delivered but unacknowledged, over all queues.',
        queries: [
          { expr: 'sum(rabbitmq_queue_messages_ready)', legend: 'ready' },
          { expr: 'sum(rabbitmq_queue_messages_unacked)', legend: 'unacked' },
        ],
        unit: 'short',
        width: 8,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Message rates',
        description: 'Messages received from publishers, routed to queues and delivered to consumers, per second.',
        queries: [
          { expr: sumRate([], 'rabbitmq_global_messages_received_total'), legend: 'received' },
          { expr: sumRate([], 'rabbitmq_global_messages_routed_total'), legend: 'routed' },
          { expr: sumRate([], 'rabbitmq_global_messages_delivered_total'), legend: 'delivered' },
        ],
        unit: 'ops',
        width: 8,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Queues, connections, channels, consumers',
        description: 'Broker object counts. A drop in consumers means a service lost its subscription.',
        queries: [
          { expr: 'sum(rabbitmq_queues)', legend: 'queues' },
          { expr: 'sum(rabbitmq_connections)', legend: 'connections' },
          { expr: 'sum(rabbitmq_channels)', legend: 'channels' },
          { expr: 'sum(rabbitmq_consumers)', legend: 'consumers' },
        ],
        unit: 'short',
        width: 8,
      }),
    )
    .withRow(row('Toxiproxy'))
    .withPanel(
      timeSeries({
        title: 'Bytes through each proxy',
        description:
          'Bytes per second each Toxiproxy proxy forwards (both directions). A proxy with a fault on it shows here as a drop or a stall.',
        queries: [
          { expr: sumRate(['proxy'], 'toxiproxy_proxy_sent_bytes_total'), legend: 'sent {{proxy}}' },
          { expr: sumRate(['proxy'], 'toxiproxy_proxy_received_bytes_total'), legend: 'received {{proxy}}' },
        ],
        unit: 'Bps',
        width: 24,
      }),
    )
    .withRow(row('OpenTelemetry collector'))
    .withPanel(
      timeSeries({
        title: 'Spans in and out',
        description: "Spans accepted and refused by the collector's receivers, and sent by each exporter, per second.",
        queries: [
          { expr: sumRate(['receiver'], 'otelcol_receiver_accepted_spans_total'), legend: 'accepted {{receiver}}' },
          { expr: sumRate(['receiver'], 'otelcol_receiver_refused_spans_total'), legend: 'refused {{receiver}}' },
          { expr: sumRate(['exporter'], 'otelcol_exporter_sent_spans_total'), legend: 'sent {{exporter}}' },
        ],
        unit: 'ops',
        width: 8,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Metric points in and out',
        description: 'Metric points accepted by the receivers and sent by each exporter, per second.',
        queries: [
          {
            expr: sumRate(['receiver'], 'otelcol_receiver_accepted_metric_points_total'),
            legend: 'accepted {{receiver}}',
          },
          { expr: sumRate(['exporter'], 'otelcol_exporter_sent_metric_points_total'), legend: 'sent {{exporter}}' },
        ],
        unit: 'ops',
        width: 8,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Collector memory',
        description: 'Resident memory and Go heap of the collector (the memory limiter acts on the heap).',
        queries: [
          { expr: 'sum(otelcol_process_memory_rss_bytes)', legend: 'rss' },
          { expr: 'sum(otelcol_process_runtime_heap_alloc_bytes)', legend: 'heap' },
        ],
        unit: 'bytes',
        width: 8,
      }),
    )
    .build();
}
