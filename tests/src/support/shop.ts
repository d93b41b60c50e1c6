/**
 * A client of the public API for the integration tests: users, admin, products, orders. Everything
 * goes through the gateway, as a real client's requests would.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { host } from '@confeitaria/stack/ports';
import { Agent, fetch } from 'undici';
import { gatewayUrl } from './endpoints';
import { waitFor } from './wait';

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** The loopback source address to send from (a client of its own to the gateway's per-address limits). */
  from?: string;
}

const agents = new Map<string, Agent>();
function agentFrom(address: string): Agent {
  let agent = agents.get(address);
  if (!agent) {
    agent = new Agent({ localAddress: address });
    agents.set(address, agent);
  }
  return agent;
}

export async function api<T = Record<string, unknown>>(
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${gatewayUrl}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    dispatcher: options.from ? agentFrom(options.from) : undefined,
  });
  const text = await response.text();
  return {
    status: response.status,
    body: (text ? JSON.parse(text) : {}) as T,
    headers: response.headers as unknown as Headers,
  };
}

/**
 * Loopback source addresses for test clients, as k6's crowd uses (127.0.0.2–127.0.0.250): Linux routes
 * all of 127.0.0.0/8 to loopback. Against a gateway elsewhere every client sends from the default
 * address.
 */
const loopbackGateway = host.startsWith('127.');
let nextAddress = 0;
export function clientAddress(): string | undefined {
  if (!loopbackGateway) return undefined;
  nextAddress = (nextAddress % 249) + 1;
  return `127.0.0.${nextAddress + 1}`;
}

/**
 * A request as a well-behaved app sends it: a 429 or 503 with Retry-After is waited out and sent again
 * (the gateway's per-address login throttle, identity's hashing queue), for up to `patienceMs`.
 */
export async function politely<T = Record<string, unknown>>(
  method: string,
  path: string,
  options: RequestOptions = {},
  patienceMs = 60_000,
): Promise<ApiResponse<T> & { waits: number }> {
  const deadline = Date.now() + patienceMs;
  for (let waits = 0; ; waits++) {
    const response = await api<T>(method, path, options);
    const retryAfter = Number(response.headers.get('retry-after'));
    const shed = (response.status === 429 || response.status === 503) && retryAfter > 0;
    if (!shed || Date.now() + retryAfter * 1000 > deadline) return { ...response, waits };
    await sleep(retryAfter * 1000 * (1 + Math.random() * 0.5));
  }
}

export interface TestUser {
  id: string;
  email: string;
  token: string;
  /** The loopback address this customer's requests come from. */
  address?: string;
}

/** Registers a fresh customer and logs them in, each from an address of its own. */
export async function newCustomer(): Promise<TestUser> {
  const email = `test-${randomUUID()}@confeitaria.test`;
  const password = 'senha-forte-123';
  const from = clientAddress();
  const registered = await politely<{ id: string }>('POST', '/api/auth/register', {
    body: { email, password, name: 'Cliente de Teste' },
    from,
  });
  if (registered.status !== 201) throw new Error(`register: ${registered.status} ${JSON.stringify(registered.body)}`);
  const login = await politely<{ accessToken: string }>('POST', '/api/auth/login', { body: { email, password }, from });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${JSON.stringify(login.body)}`);
  return { id: registered.body.id, email, token: login.body.accessToken, address: from };
}

let adminToken: string | undefined;
/** The seeded admin's token (local default credentials, overridable by env as for the service). */
export async function admin(): Promise<string> {
  if (adminToken) return adminToken;
  const login = await api<{ accessToken: string }>('POST', '/api/auth/login', {
    body: {
      email: process.env.ADMIN_EMAIL ?? 'admin@confeitaria.local',
      password: process.env.ADMIN_PASSWORD ?? 'confeitaria-admin',
    },
  });
  if (login.status !== 200) throw new Error(`admin login: ${login.status}`);
  adminToken = login.body.accessToken;
  return adminToken;
}

export interface Product {
  id: number;
  name: string;
  priceCents: number;
  stock: number;
  category: string;
}

/** A product of its own for a test, so stock counts are not disturbed by other tests. */
export async function newProduct(stock: number, priceCents = 1_250): Promise<Product> {
  const categories = await api<{ items: { slug: string }[] }>('GET', '/api/categories');
  const category = categories.body.items[0]?.slug ?? 'missing';
  const created = await api<Product>('POST', '/api/products', {
    token: await admin(),
    body: {
      name: `Brigadeiro de teste ${randomUUID().slice(0, 8)}`,
      description: 'teste',
      priceCents,
      category,
      stock,
    },
  });
  if (created.status !== 201) throw new Error(`create product: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body;
}

export interface OrderView {
  id: string;
  status: 'PENDING' | 'CONFIRMED' | 'CANCELLED';
  reason?: string;
  totalCents: number;
  items: { productId: number; quantity: number; unitPriceCents: number }[];
}

export async function placeOrder(
  user: TestUser,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<ApiResponse<OrderView>> {
  return api<OrderView>('POST', '/api/orders', { token: user.token, body, headers, from: user.address });
}

/** Polls an order until it is CONFIRMED or CANCELLED. */
export function settled(user: TestUser, id: string, timeoutMs = 30_000): Promise<OrderView> {
  return waitFor(
    `order ${id} to settle`,
    async () => {
      // Only a 200 is the order: a shed poll (429/503) answers problem+json, whose numeric `status`
      // is the HTTP status, not the order's.
      const order = await api<OrderView>('GET', `/api/orders/${id}`, { token: user.token, from: user.address });
      const settledStatus =
        order.status === 200 && (order.body.status === 'CONFIRMED' || order.body.status === 'CANCELLED');
      return settledStatus ? order.body : undefined;
    },
    timeoutMs,
  );
}
