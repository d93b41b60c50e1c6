import { dirname, join } from 'node:path';
import { baseConfigSchema, urlList } from '@confeitaria/platform';
import { z } from 'zod';

/** Where Vite built the storefront (web/dist), found through the web package's own entry. */
const builtStorefront = () => join(dirname(require.resolve('@confeitaria/web/package.json')), 'dist');

const url = z.url().transform((value) => value.replace(/\/+$/, ''));
const milliseconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export const configSchema = baseConfigSchema.extend({
  IDENTITY_URL: url.default('http://127.0.0.1:18081'),
  /**
   * Where the gateway fetches identity's key set (defaults to IDENTITY_URL). The stack points it
   * straight at identity, never through a Toxiproxy edge: whoever can re-route an edge through
   * Toxiproxy's API could otherwise serve their own key and mint admin tokens (docs/security.md).
   */
  IDENTITY_JWKS_URL: url.optional(),
  /** Comma-separated: every catalog instance, called round-robin. */
  CATALOG_URLS: z
    .string()
    .default('http://127.0.0.1:18082,http://127.0.0.1:18083')
    .transform(urlList)
    .pipe(z.array(z.url()).min(1)),
  CART_URL: url.default('http://127.0.0.1:18084'),
  /** The storefront served at `/` (built by `npm run build -w web`). */
  STOREFRONT_DIR: z.string().min(1).default(builtStorefront),
  ORDERS_URL: url.default('http://127.0.0.1:18085'),
  /**
   * Where the storefront's browser spans go, through the gateway's POST /otlp/v1/traces (same origin,
   * so no CORS and no published collector port in any mode). Defaults to the collector the gateway
   * itself exports to (OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces); without one, or with
   * OTEL_SDK_DISABLED=true, the page records nothing.
   */
  BROWSER_TRACES_URL: url.optional(),
  /** The standard OTel variables the telemetry preload reads too; here only for BROWSER_TRACES_URL. */
  OTEL_EXPORTER_OTLP_ENDPOINT: url.optional(),
  OTEL_SDK_DISABLED: z.string().optional(),
  /**
   * Grafana as the browser reaches it (docker mode: http://127.0.0.1:3000): the storefront's demo panel
   * links each action's trace there. Unset (local mode has no Grafana): the panel shows trace ids only.
   */
  GRAFANA_PUBLIC_URL: url.optional(),
  /**
   * Prometheus, for the demo panel's "experiment in progress" (GET /demo/state reads the chaos runner's
   * chaos_phase and chaos_fault_active there). Unset: the panel says experiments are not visible here.
   */
  PROMETHEUS_URL: url.optional(),
  /** Per address: browser span batches per second, and the burst above it (a page sends one every 5 s). */
  BROWSER_TRACES_RPS: z.coerce.number().positive().default(2),
  BROWSER_TRACES_BURST: z.coerce.number().int().positive().default(30),

  IDENTITY_TIMEOUT_MS: milliseconds(3_000),
  CATALOG_TIMEOUT_MS: milliseconds(3_000),
  CART_TIMEOUT_MS: milliseconds(3_000),
  ORDERS_TIMEOUT_MS: milliseconds(5_000),
  /** Extra attempts for an idempotent GET that got no answer, or a 502/503/504. */
  UPSTREAM_GET_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
  UPSTREAM_RETRY_BACKOFF_MS: z.coerce.number().int().min(0).default(50),
  /** How long an instance that could not be reached is skipped. */
  UPSTREAM_EJECT_MS: milliseconds(5_000),

  JWT_ISSUER: z.string().min(1).default('confeitaria-identity'),
  JWT_AUDIENCE: z.string().min(1).default('confeitaria-api'),
  /**
   * A token naming an unknown key id makes the gateway fetch identity's key set again, at most once
   * per this period: short enough that a restarted identity's new key is picked up quickly, long
   * enough that made-up key ids cannot turn into a flood of requests to identity.
   */
  JWKS_COOLDOWN_MS: z.coerce.number().int().min(0).default(5_000),
  /**
   * Tokens already verified are remembered (at most this many, each for at most TOKEN_CACHE_TTL_MS and
   * never past its expiry), so a shopper's every request does not cost an ECDSA verification: at 1000
   * shoppers it was a sixth of the gateway's CPU. 0 turns the cache off.
   */
  TOKEN_CACHE_MAX: z.coerce.number().int().min(0).default(10_000),
  TOKEN_CACHE_TTL_MS: z.coerce.number().int().min(1).default(60_000),

  /** Per client (user id, else IP): sustained requests per second, and the burst above it. */
  RATE_LIMIT_RPS: z.coerce.number().positive().default(200),
  RATE_LIMIT_BURST: z.coerce.number().int().positive().default(400),
  /**
   * Per address, on POST /api/auth/login and /api/auth/register only: each costs identity a password
   * hash. Tighter than the general limit, loose enough for a classroom behind one address: 5 per
   * second, and when those are spent 30 more per minute. Shared by every gateway replica through
   * REDIS_URL (per replica while Redis is away). Per account, identity locks an account after
   * repeated failures.
   */
  AUTH_RATE_LIMIT_RPS: z.coerce.number().positive().default(5),
  AUTH_RATE_LIMIT_BURST: z.coerce.number().int().positive().default(30),
  REDIS_URL: z.url().default('redis://127.0.0.1:16379'),
  /** Prefix of the gateway's keys in Redis: replicas of one shop share it; two shops on one Redis do not. */
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[\w.-]+$/)
    .default('gateway'),
  /** A login never waits longer than this on Redis for its budget: slower, and the in-memory twin decides. */
  REDIS_COMMAND_TIMEOUT_MS: milliseconds(250),

  /**
   * Requests the gateway proxies at once, the callers that may wait for a turn and for how long: one
   * more is shed at once with 503 + Retry-After (`at_capacity`). Sized so the gateway's own event loop
   * keeps up on two cores shared with the whole shop; a saturated gateway answers its probes still.
   */
  MAX_IN_FLIGHT: z.coerce.number().int().positive().default(128),
  IN_FLIGHT_QUEUE_LIMIT: z.coerce.number().int().min(0).default(512),
  IN_FLIGHT_MAX_WAIT_MS: milliseconds(1_000),

  /**
   * Admission control for new orders (services/gateway/src/domain/saga-admission.ts): POST /api/orders
   * is shed with 503 while the saga has more orders in flight, an older one in flight, or more events
   * waiting in orders' outbox than these; the saga's load is polled every SAGA_POLL_MS.
   */
  SAGA_MAX_PENDING: z.coerce.number().int().positive().default(600),
  SAGA_MAX_PENDING_AGE_S: z.coerce.number().positive().default(120),
  SAGA_MAX_OUTBOX_BACKLOG: z.coerce.number().int().positive().default(2_000),
  SAGA_SHED_RETRY_AFTER_S: z.coerce.number().int().positive().default(2),
  SAGA_POLL_MS: milliseconds(1_000),

  /**
   * How many proxies in front of the gateway append to X-Forwarded-For and can be trusted to: the client
   * is the address the outermost of them saw, the n-th entry from the right; entries further left are
   * the client's to invent. 0 (the default): the gateway is the edge and X-Forwarded-For is ignored, so
   * a client that may pick its own address cannot pick its own rate-limit bucket.
   */
  /**
   * A port of their own for /healthz, /readyz and /metrics, which the public port then answers 404:
   * clients reach the gateway, its probes and its scrape are the operator's. Unset: served on PORT
   * (component tests). The stack, compose and the Kubernetes manifests set it.
   */
  MANAGEMENT_PORT: z.coerce.number().int().min(0).max(65_535).optional(),

  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
});

export type Config = z.infer<typeof configSchema>;

/** Where browser spans are forwarded, if anywhere (see BROWSER_TRACES_URL). */
export function browserTracesUrl(config: z.infer<typeof configSchema>): string | undefined {
  if (config.BROWSER_TRACES_URL) return config.BROWSER_TRACES_URL;
  if (config.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true' || !config.OTEL_EXPORTER_OTLP_ENDPOINT)
    return undefined;
  return `${config.OTEL_EXPORTER_OTLP_ENDPOINT}/v1/traces`;
}
