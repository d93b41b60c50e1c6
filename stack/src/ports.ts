/**
 * The local stack's port plan, in one place. Everything binds to 127.0.0.1 on ports chosen away from
 * the defaults (5432, 6379, 5672, 9090, ...) so the stack never collides with a database or broker the
 * machine already runs. Toxiproxy listen ports live in `chaos/proxies.json`, not here.
 */
export const host = '127.0.0.1';

export const ports = {
  postgresPrimary: 15432,
  postgresReplica: 15433,
  redis: 16379,
  rabbitmqAmqp: 15673,
  rabbitmqPrometheus: 15692,
  rabbitmqDist: 25673,
  rabbitmqEpmd: 14369,
  prometheus: 19090,
  /** Docker mode only (local mode has no Tempo): Tempo's HTTP API, for a chaos runner on the host. */
  tempo: 13200,
  postgresExporterPrimary: 19187,
  postgresExporterReplica: 19188,
  redisExporter: 19121,
  toxiproxyApi: 18474,
  collectorOtlpGrpc: 14317,
  collectorOtlpHttp: 14318,
  collectorPrometheus: 18889,
  collectorTelemetry: 18888,
  collectorHealth: 13133,
  gateway: 18080,
  /** The gateway's /healthz, /readyz and /metrics: kept off the port clients reach. */
  gatewayManagement: 19080,
  identity: 18081,
  catalog1: 18082,
  catalog2: 18083,
  cart: 18084,
  orders: 18085,
  payments: 18086,
  notifications: 18087,
  /** The local supervisor: /metrics (stack_restarts_total ...), /events, /healthz. */
  supervisor: 19401,
} as const;

export type PortName = keyof typeof ports;
