/** The few shop calls the benchmarks need before they measure: a customer token and a well-stocked product. */
import { randomUUID } from 'node:crypto';
import { host, ports } from '@confeitaria/stack/ports';

export const gatewayUrl = `http://${host}:${ports.gateway}`;

async function call<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const response = await fetch(`${gatewayUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

const login = async (email: string, password: string) =>
  (await call<{ accessToken: string }>('POST', '/api/auth/login', { email, password })).accessToken;

/** A fresh customer's token. */
export async function customerToken(): Promise<string> {
  const email = `bench-${randomUUID()}@confeitaria.test`;
  await call('POST', '/api/auth/register', { email, password: 'bench-senha-forte', name: 'Bench' });
  return login(email, 'bench-senha-forte');
}

/** A product of the bench's own with `stock` units, so orders never run out during a measurement. */
export async function benchProduct(stock: number): Promise<{ id: number }> {
  const admin = await login(
    process.env.ADMIN_EMAIL ?? 'admin@confeitaria.local',
    process.env.ADMIN_PASSWORD ?? 'confeitaria-admin',
  );
  const { items } = await call<{ items: { slug: string }[] }>('GET', '/api/categories');
  return call<{ id: number }>(
    'POST',
    '/api/products',
    {
      name: `Bolo de benchmark ${randomUUID().slice(0, 8)}`,
      description: 'bench',
      priceCents: 500,
      category: items[0]?.slug,
      stock,
    },
    admin,
  );
}
