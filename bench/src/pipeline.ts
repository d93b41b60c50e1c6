/**
 * Part 2, the order pipeline against the database's limit. First the limit: pgbench runs a transaction
 * mix shaped like one order's writes (order-shape.sql) on the same Postgres, connected directly. Then the
 * shop, wired directly too (direct-shop.ts): orders are offered at rising rates through its gateway, and
 * a rate counts as sustained when the saga keeps up: when the step ends, no more than one second's
 * worth of accepted orders is still pending. Ratio = sustained orders/s ÷ pgbench orders/s. Where the
 * time goes comes from the traces of the orders of the best sustained step (or of the first step, when
 * none was sustained). Last, the same rates are offered to the stack as it runs, every edge through
 * Toxiproxy, to show what the fault-injection proxy costs.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { postgresUrl } from '@confeitaria/stack/components/postgres';
import { repoRoot } from '@confeitaria/stack/paths';
import pg from 'pg';
import type { BenchContext } from './context';
import { startDirectShop } from './direct-shop';
import { runningInstances } from './instances';
import { measure } from './load';
import { type CpuShare, cpuBetween, cpuSnapshot } from './process-tree';
import { benchProduct, customerToken, gatewayUrl } from './shop-client';
import { type TimeShare, timeShares } from './trace-shares';

const run = promisify(execFile);

export interface PipelineStep {
  offered: number;
  accepted: number;
  finishedPerSecond: number;
  pendingAtEnd: number;
  sustained: boolean;
}

export interface Pipeline {
  pgbenchOrdersPerSecond: number;
  steps: PipelineStep[];
  sustainedOrdersPerSecond: number;
  /** sustained ÷ pgbench (target ≥ 0.30). */
  ratio: number;
  timeShares: TimeShare[];
  /** Cores each component used during that same step (2 cores is the whole machine). */
  cpu: CpuShare[];
  /** The same sweep offered to the stack as it runs, every edge through Toxiproxy (what the proxy costs). */
  throughToxiproxy: PipelineStep[];
  sustainedThroughToxiproxy: number;
}

const schema = `
DROP SCHEMA IF EXISTS bench CASCADE;
CREATE SCHEMA bench;
CREATE TABLE bench.orders (id bigint PRIMARY KEY, status text, total_cents bigint, created_at timestamptz DEFAULT now(), updated_at timestamptz DEFAULT now());
CREATE TABLE bench.order_items (order_id bigint, product_id int, quantity int, unit_price_cents int);
CREATE TABLE bench.outbox (id bigserial PRIMARY KEY, routing_key text, payload jsonb, created_at timestamptz DEFAULT now(), published_at timestamptz);
CREATE TABLE bench.inbox (message_id uuid PRIMARY KEY, handled_at timestamptz DEFAULT now());
CREATE TABLE bench.products (id int PRIMARY KEY, stock bigint);
CREATE TABLE bench.reservations (order_id bigint, product_id int, quantity int, status text);
CREATE TABLE bench.payments (order_id bigint, status text, amount_cents bigint);
CREATE TABLE bench.notifications (order_id bigint, kind text);
INSERT INTO bench.products SELECT g, 1000000000 FROM generate_series(1, 100) g;`;

/** Orders/s the database sustains for the order-shaped mix (pgbench, 4 clients). */
async function pgbenchLimit(seconds: number): Promise<number> {
  const url = postgresUrl('primary', 'orders');
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(schema);
    const { stdout } = await run('/usr/lib/postgresql/15/bin/pgbench', [
      '-n',
      '-f',
      join(repoRoot, 'bench', 'src', 'order-shape.sql'),
      '-c',
      '4',
      '-j',
      '2',
      '-T',
      String(seconds),
      url,
    ]);
    const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)?.[1];
    if (!tps) throw new Error(`pgbench printed no tps:\n${stdout}`);
    return Number(tps);
  } finally {
    await client.query('DROP SCHEMA IF EXISTS bench CASCADE').catch(() => {});
    await client.end();
  }
}

async function orderCounts(client: pg.Client, from: Date, productId: number): Promise<Record<string, number>> {
  const { rows } = await client.query<{ status: string; n: number }>(
    `SELECT status, count(*)::int AS n FROM orders WHERE created_at >= $1 AND items @> $2::jsonb GROUP BY status`,
    [from, JSON.stringify([{ productId }])],
  );
  return Object.fromEntries(rows.map((row) => [row.status, row.n]));
}

/**
 * Offers orders at `rate`/s to `gateway` for the step; afterwards waits (bounded) for the saga to drain,
 * so the next step starts from an empty pipeline.
 */
export async function offerOrders(
  context: BenchContext,
  gateway: string,
  rate: number,
  seconds: number,
  token: string,
  productId: number,
  client: pg.Client,
): Promise<PipelineStep & { from: Date; to: Date; cpu: CpuShare[] }> {
  const cpuBefore = await cpuSnapshot(runningInstances());
  const from = new Date();
  const body = JSON.stringify({ items: [{ productId, quantity: 1 }], paymentToken: 'tok_visa' });
  const figures = await measure(
    { target: `${gateway}/api/orders`, method: 'POST', body, token, vus: 1, seconds, rate },
    context.outDir,
    `orders-${rate}`,
  );
  const to = new Date();
  const cpu = cpuBetween(cpuBefore, await cpuSnapshot(runningInstances()), (to.getTime() - from.getTime()) / 1000);
  const counts = await orderCounts(client, from, productId);
  const finished = (counts.CONFIRMED ?? 0) + (counts.CANCELLED ?? 0);
  const pending = counts.PENDING ?? 0;
  const accepted = finished + pending;
  for (let waited = 0; waited < 60 && ((await orderCounts(client, from, productId)).PENDING ?? 0) > 0; waited++)
    await sleep(1_000);
  return {
    offered: rate,
    accepted,
    finishedPerSecond: finished / seconds,
    pendingAtEnd: pending,
    // Kept up: nothing refused, (nearly) every offered order accepted, and when the step ends no more
    // than one second's arrivals still in the saga (a backlog that grew would be many seconds' worth).
    sustained: figures.failed < 0.01 && accepted >= 0.95 * rate * seconds && pending <= Math.max(2, rate),
    from,
    to,
    cpu,
  };
}

export async function orderPipeline(context: BenchContext): Promise<Pipeline> {
  const { progress, seconds, quick } = context;
  progress.step('pipeline', `pgbench with an order-shaped transaction mix (${seconds} s)`, seconds);
  const pgbenchOrdersPerSecond = await pgbenchLimit(seconds);
  const [token, product] = await Promise.all([customerToken(), benchProduct(1_000_000)]);
  const client = new pg.Client({ connectionString: postgresUrl('primary', 'orders') });
  client.on('error', () => {});
  await client.connect();
  type TimedStep = PipelineStep & { from: Date; to: Date; cpu: CpuShare[] };
  const steps: TimedStep[] = [];
  const throughToxiproxy: TimedStep[] = [];
  const rates = quick ? [5, 10] : [40, 80, 120, 140, 160, 180, 200, 240];
  const sweep = async (label: string, gateway: string, from: number, upTo: number, into: TimedStep[]) => {
    for (const rate of rates.filter((candidate) => candidate >= from && candidate <= upTo)) {
      progress.step('pipeline', `${label}: offering ${rate} orders/s for ${seconds} s`, seconds);
      const step = await offerOrders(context, gateway, rate, seconds, token, product.id, client);
      into.push(step);
      console.log(
        `  ${label}: ${rate}/s offered → ${step.finishedPerSecond.toFixed(1)}/s finished, ${step.pendingAtEnd} pending at the end: ${step.sustained ? 'sustained' : 'NOT sustained'}`,
      );
      if (!step.sustained) return;
    }
  };
  try {
    progress.step('pipeline', "replacing the stack's saga services with instances wired straight to the datastores");
    const shop = await startDirectShop();
    try {
      await sweep('direct', shop.gateway, 0, Number.POSITIVE_INFINITY, steps);
    } finally {
      progress.step('pipeline', "putting the stack's own services back");
      await shop.stop();
    }
    // The stack as it runs, from a rate both surely sustain up to the best direct one: what Toxiproxy costs.
    const bestDirect = [...steps].reverse().find((step) => step.sustained)?.offered ?? 0;
    await sweep('through Toxiproxy', gatewayUrl, quick ? 0 : 120, bestDirect, throughToxiproxy);
  } finally {
    await client.end();
  }
  const best = [...steps].reverse().find((step) => step.sustained);
  const sustainedOrdersPerSecond = best?.finishedPerSecond ?? 0;
  // Where the time goes: at the best sustained rate, or at the first rate tried when none was sustained.
  const explained = best ?? steps[0];
  return {
    pgbenchOrdersPerSecond,
    steps: steps.map(({ from: _from, to: _to, cpu: _cpu, ...step }) => step),
    sustainedOrdersPerSecond,
    ratio: sustainedOrdersPerSecond / pgbenchOrdersPerSecond,
    timeShares: explained ? await timeShares(explained.from.getTime(), explained.to.getTime()) : [],
    cpu: explained?.cpu ?? [],
    throughToxiproxy: throughToxiproxy.map(({ from: _from, to: _to, cpu: _cpu, ...step }) => step),
    sustainedThroughToxiproxy: [...throughToxiproxy].reverse().find((step) => step.sustained)?.finishedPerSecond ?? 0,
  };
}
