import { callUpstream, configure, createHttpService, type RunningService, UpstreamPool } from '@confeitaria/platform';
import { createTokenVerifier } from './auth/token-verifier';
import { type Config, configSchema } from './config';
import { apiRoutes } from './http/api-routes';
import type { UpstreamName } from './http/operations';

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
  const verifyToken = createTokenVerifier({
    identityUrl: config.IDENTITY_URL,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    timeoutMs: config.IDENTITY_TIMEOUT_MS,
    cooldownMs: config.JWKS_COOLDOWN_MS,
  });

  const answers = async (name: string, url: string) => {
    const response = await callUpstream(name, { method: 'GET', url, timeoutMs: 1_000 });
    if (response.status !== 200) throw new Error(`${name} answered ${response.status}`);
  };
  const http = createHttpService({
    service,
    logger,
    router: apiRoutes({
      upstreams,
      verifyToken,
      rateLimit: { ratePerSecond: config.RATE_LIMIT_RPS, burst: config.RATE_LIMIT_BURST },
    }),
    readiness: {
      identity: () => answers('identity', `${config.IDENTITY_URL}/.well-known/jwks.json`),
      orders: () => answers('orders', `${config.ORDERS_URL}/healthz`),
      // One live catalog instance is enough: the pool routes around the other.
      catalog: () =>
        Promise.any(config.CATALOG_URLS.map((url) => answers('catalog', `${url}/healthz`))).catch(() => {
          throw new Error('no catalog instance answers');
        }),
    },
  });
  // The gateway is the edge: unless told otherwise, X-Forwarded-For is the client's to invent, so the
  // rate limiter keys on the socket's address.
  http.app.proxy = config.TRUST_PROXY;
  const port = await http.listen(config.PORT, config.HOST);
  return { port, stop: () => http.close() };
}
