/**
 * What the catalog's component tests share: a real catalog started in-process on port 0 against the
 * running Postgres primary, replica and RabbitMQ, and small HTTP helpers.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { type RunningService, userHeaders } from '@confeitaria/platform';
import pg from 'pg';
import { start } from '../src/app';
import type { Config } from '../src/config';

export const primaryUrl = 'postgres://catalog:catalog@127.0.0.1:15432/catalog';
export const replicaUrl = 'postgres://catalog:catalog@127.0.0.1:15433/catalog';
export const amqpUrl = 'amqp://confeitaria:confeitaria@127.0.0.1:15673';

export interface RunningCatalog {
  base: string;
  service: RunningService;
}

export async function startCatalog(overrides: Partial<Config> = {}): Promise<RunningCatalog> {
  const service = await start({
    PORT: 0,
    LOG_LEVEL: 'warn',
    DATABASE_URL: primaryUrl,
    DATABASE_REPLICA_URL: replicaUrl,
    AMQP_URL: amqpUrl,
    ...overrides,
  });
  const base = `http://127.0.0.1:${service.port}`;
  // Ready means the broker is connected too; stopping before that would race the connection attempt.
  await eventually(
    () => fetch(`${base}/readyz`).then((response) => response.status),
    (status) => status === 200,
  );
  return { base, service };
}

export interface Reply {
  status: number;
  contentType: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read response fields freely
  body: any;
}

export async function call(
  base: string,
  path: string,
  options: { method?: string; body?: unknown; admin?: boolean } = {},
): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  // As the gateway would send them: every call is from a signed-in user, a customer unless `admin`.
  Object.assign(
    headers,
    userHeaders({ id: '00000000-0000-4000-8000-00000000ad01', role: options.admin ? 'admin' : 'customer' }),
  );
  const response = await fetch(`${base}${path}`, {
    method: options.method ?? 'GET',
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  const contentType = response.headers.get('content-type') ?? '';
  return { status: response.status, contentType, body: contentType.includes('json') ? JSON.parse(text) : text };
}

/** A product of its own for one test (unique name), created through the admin route. */
export async function createProduct(
  base: string,
  fields: { stock: number; category?: string; priceCents?: number },
): Promise<{ id: number; name: string; stock: number; priceCents: number; category: string }> {
  const reply = await call(base, '/products', {
    method: 'POST',
    admin: true,
    body: {
      name: `Produto de teste ${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`,
      description: 'criado por um teste',
      priceCents: fields.priceCents ?? 1_250,
      category: fields.category ?? 'docinhos',
      stock: fields.stock,
    },
  });
  if (reply.status !== 201)
    throw new Error(`creating a product answered ${reply.status}: ${JSON.stringify(reply.body)}`);
  return reply.body;
}

/** Polls `probe` until `accept` holds (replication lag, asynchronous consumers), or fails with the last value. */
export async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  let value = await probe();
  while (!accept(value)) {
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms; last: ${JSON.stringify(value)}`);
    await sleep(50);
    value = await probe();
  }
  return value;
}

/** One sample of a metric from the instance's /metrics (0 when the series does not exist yet). */
export async function metric(base: string, sample: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${sample} `));
  return line ? Number(line.slice(sample.length + 1).split(' ')[0]) : 0;
}

/** Direct access to the primary, to check what the service wrote without replication lag. */
export function primaryPool(): pg.Pool {
  return new pg.Pool({ connectionString: primaryUrl, max: 2 });
}

export async function stockOf(pool: pg.Pool, productId: number): Promise<number | undefined> {
  const { rows } = await pool.query<{ stock: number }>('SELECT stock FROM products WHERE id = $1', [productId]);
  return rows[0]?.stock;
}
