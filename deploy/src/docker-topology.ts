/**
 * Where things listen in docker mode, and the config files derived from that. Every container has its
 * own address on the compose network, so the services keep the ports of the local port plan
 * (stack/src/ports.ts) and only the hosts change: a service reaches a dependency at
 * `toxiproxy:<listen port from chaos/proxies.json>`, exactly as it reaches `127.0.0.1:<same port>` in
 * local mode. Third-party images keep their own default ports inside the network.
 */
import { managementPortOf, serviceDefinitions } from '@confeitaria/stack/components/services';
import { ports } from '@confeitaria/stack/ports';
import { proxies } from '@confeitaria/stack/proxies';

/** Ports of the third-party images inside the compose network (their defaults). */
export const imagePorts = {
  postgres: 5432,
  redis: 6379,
  rabbitmqAmqp: 5672,
  rabbitmqPrometheus: 15692,
  prometheus: 9090,
  postgresExporter: 9187,
  redisExporter: 9121,
  toxiproxyApi: 8474,
  tempoHttp: 3200,
  tempoOtlpGrpc: 4317,
  grafana: 3000,
} as const;

/** The compose service (= host name) and port of each upstream a proxy in chaos/proxies.json names. */
export function dockerUpstream(to: string): string {
  const infra: Record<string, string> = {
    'postgres-primary': `postgres-primary:${imagePorts.postgres}`,
    'postgres-replica': `postgres-replica:${imagePorts.postgres}`,
    redis: `redis:${imagePorts.redis}`,
    rabbitmq: `rabbitmq:${imagePorts.rabbitmqAmqp}`,
  };
  const service = serviceDefinitions.find((definition) => definition.name === to);
  const address = infra[to] ?? (service ? `${service.name}:${service.port}` : undefined);
  if (!address) throw new Error(`chaos/proxies.json: no docker address for upstream "${to}"`);
  return address;
}

/** Toxiproxy's -config file: every proxy of chaos/proxies.json, listening on all interfaces. */
export function toxiproxyConfig() {
  return proxies.map((proxy) => ({
    name: proxy.name,
    listen: `0.0.0.0:${proxy.listen}`,
    upstream: dockerUpstream(proxy.to),
    enabled: true,
  }));
}

export interface TargetGroup {
  targets: string[];
  labels?: Record<string, string>;
}

/** The docker counterpart of localTargets() in stack/src/components/prometheus.ts: same jobs, same labels. */
export function dockerPrometheusTargets(): Record<string, TargetGroup[]> {
  return {
    prometheus: [{ targets: [`prometheus:${imagePorts.prometheus}`] }],
    'otel-collector': [{ targets: [`otel-collector:${ports.collectorPrometheus}`] }],
    'otel-collector-self': [{ targets: [`otel-collector:${ports.collectorTelemetry}`] }],
    rabbitmq: [{ targets: [`rabbitmq:${imagePorts.rabbitmqPrometheus}`] }],
    postgres: [
      { targets: [`postgres-exporter-primary:${imagePorts.postgresExporter}`], labels: { role: 'primary' } },
      { targets: [`postgres-exporter-replica:${imagePorts.postgresExporter}`], labels: { role: 'replica' } },
    ],
    redis: [{ targets: [`redis-exporter:${imagePorts.redisExporter}`] }],
    toxiproxy: [{ targets: [`toxiproxy:${imagePorts.toxiproxyApi}`] }],
    // Local mode's supervisor; containers are restarted by Docker's own restart policy instead.
    'stack-supervisor': [],
  };
}

/** The collector's OTELCOL_SCRAPE_TARGETS file: every service instance's /metrics, job = service. */
export function collectorServiceTargets(): TargetGroup[] {
  return serviceDefinitions.map((definition) => ({
    targets: [`${definition.name}:${managementPortOf(definition)}`],
    labels: { job: definition.service },
  }));
}
