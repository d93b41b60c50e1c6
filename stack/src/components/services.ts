/**
 * The shop's services as Node processes, each started with the telemetry preload and wired to its
 * dependencies through the Toxiproxy proxies (never directly), so every edge can be broken on purpose.
 */
import { join } from 'node:path';
import type { Component, Health } from '../component';
import { repoRoot } from '../paths';
import { host, ports } from '../ports';
import { launch, livePid, logFileOf, probeHttp, terminate } from '../process';
import { proxiedAddress } from '../proxies';
import { internalAuthSecret, signingKeyEncryptionKey } from '../secrets';
import { type ServiceDatabase, serviceDatabaseUrl } from './postgres';

const amqpUser = process.env.RABBITMQ_USER ?? 'confeitaria';
const amqpPassword = process.env.RABBITMQ_PASSWORD ?? 'confeitaria';

/** A service's own role and database, on the primary (or the replica) through its proxy. */
const database = (name: ServiceDatabase, on: 'postgres-primary' | 'postgres-replica' = 'postgres-primary') =>
  serviceDatabaseUrl(name, proxiedAddress(name, on));
const broker = (from: string) => `amqp://${amqpUser}:${amqpPassword}@${proxiedAddress(from, 'rabbitmq')}`;

interface ServiceDefinition {
  /** The component name (unique per process: catalog-1, catalog-2). */
  name: string;
  /** The service it is an instance of: its folder under services/ and its `service.name`. */
  service: string;
  port: number;
  /** Where its probes and /metrics answer, when not on `port` (the gateway's MANAGEMENT_PORT). */
  managementPort?: number;
  env: () => Record<string, string>;
  /**
   * Variables from this machine's secrets (stack/src/secrets.ts), apart from `env` so they are never
   * written into a generated manifest: Kubernetes takes them from the credentials Secret by name.
   */
  secrets?: () => Record<string, string>;
}

/** The port of an instance's /healthz, /readyz and /metrics. */
export const managementPortOf = (definition: ServiceDefinition): number => definition.managementPort ?? definition.port;

const redis = (from: string) => `redis://${proxiedAddress(from, 'redis')}`;
const catalogUrls = (from: string) =>
  ['catalog-1', 'catalog-2'].map((instance) => `http://${proxiedAddress(from, instance)}`).join(',');
const catalog = (name: string, port: number): ServiceDefinition => ({
  name,
  service: 'catalog',
  port,
  env: () => ({
    DATABASE_URL: database('catalog'),
    DATABASE_REPLICA_URL: database('catalog', 'postgres-replica'),
    AMQP_URL: broker('catalog'),
  }),
});

/** In start order: a service starts after what it calls. */
export const serviceDefinitions: ServiceDefinition[] = [
  {
    name: 'identity',
    service: 'identity',
    port: ports.identity,
    env: () => ({ DATABASE_URL: database('identity') }),
    secrets: () => ({ SIGNING_KEY_ENCRYPTION_KEY: signingKeyEncryptionKey() }),
  },
  catalog('catalog-1', ports.catalog1),
  catalog('catalog-2', ports.catalog2),
  {
    name: 'cart',
    service: 'cart',
    port: ports.cart,
    env: () => ({ REDIS_URL: redis('cart'), CATALOG_URLS: catalogUrls('cart'), AMQP_URL: broker('cart') }),
  },
  {
    name: 'payments',
    service: 'payments',
    port: ports.payments,
    env: () => ({
      DATABASE_URL: database('payments'),
      AMQP_URL: broker('payments'),
      // Declines come from `tok_decline` (the load scripts send some), so the saga's outcome for every
      // other order is deterministic; set PAYMENT_DECLINE_RATE to add random, seeded declines.
      PAYMENT_DECLINE_RATE: process.env.PAYMENT_DECLINE_RATE ?? '0',
    }),
  },
  {
    name: 'orders',
    service: 'orders',
    port: ports.orders,
    env: () => ({
      DATABASE_URL: database('orders'),
      AMQP_URL: broker('orders'),
      CATALOG_URLS: catalogUrls('orders'),
    }),
  },
  {
    name: 'notifications',
    service: 'notifications',
    port: ports.notifications,
    env: () => ({ DATABASE_URL: database('notifications'), AMQP_URL: broker('notifications') }),
  },
  {
    name: 'gateway',
    service: 'gateway',
    port: ports.gateway,
    managementPort: ports.gatewayManagement,
    env: () => ({
      MANAGEMENT_PORT: String(ports.gatewayManagement),
      IDENTITY_URL: `http://${proxiedAddress('gateway', 'identity')}`,
      // The key set straight from identity: a trust anchor must not ride an edge anyone can re-route.
      IDENTITY_JWKS_URL: `http://${host}:${ports.identity}`,
      CATALOG_URLS: catalogUrls('gateway'),
      CART_URL: `http://${proxiedAddress('gateway', 'cart')}`,
      ORDERS_URL: `http://${proxiedAddress('gateway', 'orders')}`,
      REDIS_URL: redis('gateway'),
      // The demo panel's "experiment in progress" comes from the chaos runner's metrics there.
      PROMETHEUS_URL: `http://${host}:${ports.prometheus}`,
    }),
  },
];

const preload = join(repoRoot, 'services', 'platform', 'dist', 'src', 'telemetry', 'preload.js');

function nodeService(definition: ServiceDefinition): Component {
  const url = `http://${host}:${definition.port}`;
  const management = `http://${host}:${managementPortOf(definition)}`;
  return {
    name: definition.name,
    kind: 'service',
    ports: [...new Set([definition.port, managementPortOf(definition)])],
    logFile: logFileOf(definition.name),
    url: definition.name === 'gateway' ? `${url}/api` : undefined,
    livenessUrl: `${management}/healthz`,
    async start() {
      if (livePid(definition.name) !== undefined) return;
      const main = join(repoRoot, 'services', definition.service, 'dist', 'src', 'main.js');
      launch(definition.name, process.execPath, ['--require', preload, main], {
        cwd: repoRoot,
        env: {
          PORT: String(definition.port),
          HOST: host,
          OTEL_SERVICE_NAME: definition.service,
          SERVICE_INSTANCE_ID: `${definition.name}@${host}:${definition.port}`,
          OTEL_EXPORTER_OTLP_ENDPOINT: `http://${host}:${ports.collectorOtlpHttp}`,
          OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
          // Short export delay: traces show up in the file (and in tests) within a second.
          OTEL_BSP_SCHEDULE_DELAY: '500',
          INTERNAL_AUTH_SECRET: internalAuthSecret(),
          ...definition.env(),
          ...definition.secrets?.(),
        },
      });
    },
    async health(): Promise<Health> {
      const response = await probeHttp(`${management}/readyz`);
      if (!response) return { ok: false, detail: 'not answering' };
      if (response.status === 200) return { ok: true, detail: 'ready' };
      try {
        const failing = (JSON.parse(response.body) as { failing?: string[] }).failing ?? [];
        return { ok: false, detail: `not ready: ${failing.join(', ')}` };
      } catch {
        return { ok: false, detail: `readyz answered ${response.status}` };
      }
    },
    pid: async () => livePid(definition.name),
    stop: () => terminate(definition.name, 15_000),
  };
}

export function serviceComponents(): Component[] {
  return serviceDefinitions.map(nodeService);
}
