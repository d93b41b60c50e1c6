/**
 * The Prometheus exporters for the datastores that have no metrics endpoint of their own: one
 * postgres-exporter per Postgres server (the replica's gives replication lag) and one redis-exporter.
 * They connect straight to the servers' own ports, not through Toxiproxy, so a chaos fault on the
 * services' path never blinds the dashboards that show it.
 */
import { join } from 'node:path';
import type { Component, Health } from '../component';
import { repoRoot } from '../paths';
import { host, ports } from '../ports';
import { probeHttp } from '../process';
import { launchedComponent } from './launched-component';
import { type PostgresRole, postgresUrl } from './postgres';

/** Healthy when /metrics answers and the exporter reports it can reach its server (`<upMetric> 1`). */
async function exporterHealth(port: number, upMetric: string): Promise<Health> {
  const response = await probeHttp(`http://${host}:${port}/metrics`, 2_000);
  if (response?.status !== 200) return { ok: false, detail: `/metrics: ${response?.status ?? 'unreachable'}` };
  const up = new RegExp(`^${upMetric}(\\{[^}]*\\})? 1$`, 'm').test(response.body);
  return up ? { ok: true, detail: `${upMetric} 1` } : { ok: false, detail: `${upMetric} is not 1: server unreachable` };
}

/** Extra queries (replication lag in seconds), shared with docker and Kubernetes mode. */
const queriesFile = join(repoRoot, 'prometheus', 'exporters', 'postgres-queries.yaml');

function postgresExporter(role: PostgresRole): Component {
  const port = role === 'primary' ? ports.postgresExporterPrimary : ports.postgresExporterReplica;
  return launchedComponent({
    name: `postgres-exporter-${role}`,
    ports: [port],
    url: `http://${host}:${port}/metrics`,
    command: 'prometheus-postgres-exporter',
    // Debian's 0.11 takes the connection from DATA_SOURCE_NAME and still has the old flag names.
    args: [`--web.listen-address=${host}:${port}`, `--extend.query-path=${queriesFile}`],
    options: { env: { DATA_SOURCE_NAME: `${postgresUrl(role, 'postgres')}?sslmode=disable` } },
    probe: () => exporterHealth(port, 'pg_up'),
  });
}

export const postgresExporterPrimary = (): Component => postgresExporter('primary');
export const postgresExporterReplica = (): Component => postgresExporter('replica');

export const redisExporter = (): Component =>
  launchedComponent({
    name: 'redis-exporter',
    ports: [ports.redisExporter],
    url: `http://${host}:${ports.redisExporter}/metrics`,
    command: 'prometheus-redis-exporter',
    args: [`--redis.addr=redis://${host}:${ports.redis}`, `--web.listen-address=${host}:${ports.redisExporter}`],
    probe: () => exporterHealth(ports.redisExporter, 'redis_up'),
  });
