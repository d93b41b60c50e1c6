/**
 * A client of the public API for the integration tests: users, admin, products, orders. Everything
 * goes through the gateway, as a real client's requests would.
 */
import { randomUUID } from 'node:crypto';
import { gatewayUrl } from './endpoints';
import { waitFor } from './wait';

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

export async function api<T = Record<string, unknown>>(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${gatewayUrl}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as T, headers: response.headers };
}

export interface TestUser {
  id: string;
  email: string;
  token: string;
}

/** Registers a fresh customer and logs them in. */
export async function newCustomer(): Promise<TestUser> {
  const email = `test-${randomUUID()}@confeitaria.test`;
  const password = 'senha-forte-123';
  const registered = await api<{ id: string }>('POST', '/api/auth/register', {
    body: { email, password, name: 'Cliente de Teste' },
  });
  if (registered.status !== 201) throw new Error(`register: ${registered.status} ${JSON.stringify(registered.body)}`);
  const login = await api<{ accessToken: string }>('POST', '/api/auth/login', { body: { email, password } });
  if (login.status !== 200) throw new Error(`login: ${login.status}`);
  return { id: registered.body.id, email, token: login.body.accessToken };
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
  return api<OrderView>('POST', '/api/orders', { token: user.token, body, headers });
}

/** Polls an order until it is CONFIRMED or CANCELLED. */
export function settled(user: TestUser, id: string, timeoutMs = 30_000): Promise<OrderView> {
  return waitFor(
    `order ${id} to settle`,
    async () => {
      const order = await api<OrderView>('GET', `/api/orders/${id}`, { token: user.token });
      return order.body.status && order.body.status !== 'PENDING' ? order.body : undefined;
    },
    timeoutMs,
  );
}
