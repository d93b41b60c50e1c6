import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import type { RunningService } from '@confeitaria/platform';
import { start } from '../../src/app';
import type { Config } from '../../src/config';
import { type IdentityStandIn, startIdentity } from './identity-stand-in';
import { json, type Reply, type StandIn, startStandIn } from './stand-in-server';

/** Answers like a healthy service that knows nothing in particular: echoes what it got. */
const echo =
  (service: string): Reply =>
  (request, response) =>
    json(response, 200, { service, method: request.method, url: request.url });

/**
 * The gateway started in-process on port 0, in front of stand-ins for identity, two catalog
 * instances, cart and orders. Tests change a stand-in's `reply` to script its behaviour, and read
 * its `received` list to see exactly what the gateway forwarded.
 */
export interface GatewayUnderTest {
  url: string;
  identity: IdentityStandIn;
  catalog: [StandIn, StandIn];
  cart: StandIn;
  orders: StandIn;
  gateway: RunningService;
  /** fetch against the gateway, with a bearer token when `token` is given. */
  call(path: string, init?: RequestInit & { token?: string; json?: unknown }): Promise<Response>;
  stop(): Promise<void>;
}

export async function startGatewayUnderTest(overrides: Partial<Config> = {}): Promise<GatewayUnderTest> {
  const identity = await startIdentity();
  const catalog: [StandIn, StandIn] = [await startStandIn(echo('catalog-1')), await startStandIn(echo('catalog-2'))];
  const cart = await startStandIn(echo('cart'));
  const orders = await startStandIn(echo('orders'));
  const gateway = await start({
    PORT: 0,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    IDENTITY_URL: identity.url,
    CATALOG_URLS: catalog.map((instance) => instance.url),
    CART_URL: cart.url,
    ORDERS_URL: orders.url,
    UPSTREAM_RETRY_BACKOFF_MS: 5,
    // A budget of its own in the shared Redis: tests (and the stack) that log in from 127.0.0.1 too
    // must not spend it. Two gateways of one test share it by passing the same prefix.
    REDIS_KEY_PREFIX: `test-${randomUUID()}`,
    ...overrides,
  });
  const url = `http://127.0.0.1:${gateway.port}`;
  return {
    url,
    identity,
    catalog,
    cart,
    orders,
    gateway,
    call(path, init = {}) {
      const { token, json: body, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (token) headers.set('authorization', `Bearer ${token}`);
      if (body !== undefined) headers.set('content-type', 'application/json');
      return fetch(`${url}${path}`, { ...rest, headers, body: body === undefined ? rest.body : JSON.stringify(body) });
    },
    async stop() {
      await gateway.stop();
      await Promise.all([identity, ...catalog, cart, orders].map((standIn) => standIn.close()));
    },
  };
}

/** Reads a problem+json answer, checking that it is one. */
export async function problemOf(
  response: Response,
): Promise<{ status: number; detail: string; errors?: { field: string }[] }> {
  const type = response.headers.get('content-type') ?? '';
  if (!type.startsWith('application/problem+json')) throw new Error(`not a problem: ${response.status} ${type}`);
  return (await response.json()) as { status: number; detail: string; errors?: { field: string }[] };
}

/** A login from another loopback address, as a second client on the network would send it. */
export function loginFrom(
  gatewayUrl: string,
  localAddress: string,
): Promise<{ status: number; retryAfter: string | undefined }> {
  const { hostname, port } = new URL(gatewayUrl);
  return new Promise((resolve, reject) => {
    const sent = request(
      {
        host: hostname,
        port,
        localAddress,
        method: 'POST',
        path: '/api/auth/login',
        headers: { 'content-type': 'application/json' },
      },
      (response) => {
        response.resume();
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, retryAfter: response.headers['retry-after'] }),
        );
      },
    );
    sent.on('error', reject);
    sent.end(JSON.stringify({ email: 'someone@example.test', password: 'whatever-it-is' }));
  });
}
