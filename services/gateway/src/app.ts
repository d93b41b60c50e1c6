import {
  closeRedis,
  configure,
  connectRedis,
  createHttpService,
  declareShedReasons,
  type RunningService,
  UpstreamPool,
} from '@confeitaria/platform';
import { createTokenVerifier } from './auth/token-verifier';
import { browserTracesUrl, type Config, configSchema } from './config';
import { SagaAdmission } from './domain/saga-admission';
import { SharedBudget } from './domain/shared-budget';
import { apiRoutes } from './http/api-routes';
import type { UpstreamName } from './http/operations';
import { storefrontRoutes } from './http/storefront-routes';

export const service = 'gateway';

/** Wires the gateway: token verification, rate limiting and the public routes, forwarded to the services behind it. */
export async function start(overrides: Partial<Config> = {}): Promise<RunningService> {
  const { config, logger } = configure(service, configSchema, overrides);

  const pool = (name: UpstreamName, urls: string[], timeoutMs: number) =>
    new UpstreamPool(name, urls, {
      timeoutMs,
      retries: config.UPSTREAM_GET_RETRIES,
      backoffMs: config.UPSTREAM_RETRY_BACKOFF_MS,
      ejectMs: config.UPSTREAM_EJECT_MS,
    });
  const upstreams = {
    identity: pool('identity', [config.IDENTITY_URL], config.IDENTITY_TIMEOUT_MS),
    catalog: pool('catalog', config.CATALOG_URLS, config.CATALOG_TIMEOUT_MS),
    cart: pool('cart', [config.CART_URL], config.CART_TIMEOUT_MS),
    orders: pool('orders', [config.ORDERS_URL], config.ORDERS_TIMEOUT_MS),
  };
  const redis = await connectRedis(config.REDIS_URL, logger, { commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS });
  const verifyToken = createTokenVerifier({
    identityUrl: config.IDENTITY_JWKS_URL ?? config.IDENTITY_URL,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    timeoutMs: config.IDENTITY_TIMEOUT_MS,
    cooldownMs: config.JWKS_COOLDOWN_MS,
    cache: { max: config.TOKEN_CACHE_MAX, ttlMs: config.TOKEN_CACHE_TTL_MS },
  });

  declareShedReasons('rate_limited', 'login_throttled', 'saga_behind');
  const sagaAdmission = new SagaAdmission({
    ordersUrl: config.ORDERS_URL,
    pollMs: config.SAGA_POLL_MS,
    timeoutMs: Math.min(config.ORDERS_TIMEOUT_MS, config.SAGA_POLL_MS),
    maxPending: config.SAGA_MAX_PENDING,
    maxPendingAgeSeconds: config.SAGA_MAX_PENDING_AGE_S,
    maxOutboxBacklog: config.SAGA_MAX_OUTBOX_BACKLOG,
    retryAfterSeconds: config.SAGA_SHED_RETRY_AFTER_S,
    logger,
  });

  const tracesUrl = browserTracesUrl(config);
  const http = createHttpService({
    service,
    logger,
    router: apiRoutes({
      upstreams,
      verifyToken,
      rateLimit: { ratePerSecond: config.RATE_LIMIT_RPS, burst: config.RATE_LIMIT_BURST },
      authBudget: new SharedBudget(
        `${config.REDIS_KEY_PREFIX}:auth`,
        { ratePerSecond: config.AUTH_RATE_LIMIT_RPS, burstPerMinute: config.AUTH_RATE_LIMIT_BURST },
        redis,
      ),
      sagaAdmission,
    }),
    pages: storefrontRoutes({
      dir: config.STOREFRONT_DIR,
      logger,
      ...(config.GRAFANA_PUBLIC_URL ? { grafanaUrl: config.GRAFANA_PUBLIC_URL } : {}),
      ...(config.PROMETHEUS_URL ? { experiments: { prometheusUrl: config.PROMETHEUS_URL, timeoutMs: 1_500 } } : {}),
      ...(tracesUrl
        ? {
            browserTraces: {
              url: tracesUrl,
              ratePerSecond: config.BROWSER_TRACES_RPS,
              burst: config.BROWSER_TRACES_BURST,
              timeoutMs: 2_000,
            },
          }
        : {}),
    }),
    // No upstream makes the gateway unready: every gateway replica would go out of rotation at once
    // for one sick upstream (an identity outage must not stop catalog browsing). Each route answers a
    // fast 503 naming the upstream it needs instead (docs/resilience.md).
    readiness: {},
    inFlight: {
      concurrency: config.MAX_IN_FLIGHT,
      queueLimit: config.IN_FLIGHT_QUEUE_LIMIT,
      maxWaitMs: config.IN_FLIGHT_MAX_WAIT_MS,
    },
  });
  // The gateway is the edge: unless told how many proxies stand in front of it, X-Forwarded-For is the
  // client's to invent, so the rate limiter keys on the socket's address. With n trusted hops, Koa reads
  // only the last n entries and takes the first of them (the address the outermost proxy saw).
  http.app.proxy = config.TRUST_PROXY_HOPS > 0;
  http.app.maxIpsCount = config.TRUST_PROXY_HOPS;
  const port = await http.listen(config.PORT, config.HOST);
  const managementPort =
    config.MANAGEMENT_PORT === undefined ? undefined : await http.listenManagement(config.MANAGEMENT_PORT, config.HOST);
  sagaAdmission.start();
  return {
    port,
    ...(managementPort !== undefined ? { managementPort } : {}),
    async stop() {
      sagaAdmission.stop();
      await http.close();
      await closeRedis(redis);
    },
  };
}
