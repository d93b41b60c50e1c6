import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { Toxiproxy } from 'toxiproxy-node-client';
import { ordersUrl, promQuery, toxiproxyUrl } from './support/endpoints';
import { newCustomer, newProduct, placeOrder, type TestUser } from './support/shop';
import { waitFor } from './support/wait';

const toxiproxy = new Toxiproxy(toxiproxyUrl);
const injectedMs = 100;
const requestsPerPhase = 15;
after(() => toxiproxy.reset());

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

// Accepted orders only: the only kind this test sends, and a series a restarted orders process (the
// benchmark restarts the stack's services) takes over, where a 404 or 409 series of the old process lingers
// in the collector until it expires.
const ordersSeries =
  'http_server_request_duration_seconds_{kind}{job="orders",route="/orders",method="POST",status_code="202"}';
async function prometheusCounters(): Promise<{ sum: number; count: number }> {
  const read = async (kind: string) =>
    Number((await promQuery(`sum(${ordersSeries.replace('{kind}', kind)})`))[0]?.value[1] ?? 0);
  return { sum: await read('sum'), count: await read('count') };
}

/** The same count read straight from the orders service: what Prometheus will show once it catches up. */
async function serviceCount(): Promise<number> {
  const text = await (await fetch(`${ordersUrl}/metrics`)).text();
  const pattern = /^http_server_request_duration_seconds_count\{([^}]*)\} (\S+)/gm;
  let total = 0;
  for (const [, labels = '', value] of text.matchAll(pattern)) {
    if (labels.includes('method="POST"') && labels.includes('route="/orders"') && labels.includes('status_code="202"'))
      total += Number(value);
  }
  return total;
}

/** Waits until Prometheus (service → collector → Prometheus, two scrapes) has every request the service counted. */
async function caughtUp(): Promise<{ sum: number; count: number }> {
  const target = await serviceCount();
  return waitFor(
    'Prometheus to catch up with the orders service',
    async () => {
      const now = await prometheusCounters();
      // Equal, not at-least: after a service restart the collector keeps exporting the old process's
      // series for a while (metric_expiration), and those values must not be mistaken for fresh ones.
      return now.count === target ? now : undefined;
    },
    45_000,
  );
}

/** Sends a phase of sequential orders; returns the client-side p50 and the mean Prometheus recorded. */
async function phase(user: TestUser, productId: number): Promise<{ p50: number; prometheusMeanMs: number }> {
  const before = await caughtUp();
  const durations: number[] = [];
  for (let i = 0; i < requestsPerPhase; i++) {
    const started = performance.now();
    const response = await placeOrder(user, { items: [{ productId, quantity: 1 }] });
    durations.push(performance.now() - started);
    assert.equal(response.status, 202);
  }
  const after = await caughtUp();
  return {
    p50: median(durations),
    prometheusMeanMs: ((after.sum - before.sum) / (after.count - before.count)) * 1000,
  };
}

test('a latency toxic on orders → Postgres raises orders latency by at least the injected amount, and removing it restores it', async () => {
  await toxiproxy.reset();
  const [user, product] = await Promise.all([newCustomer(), newProduct(1_000)]);
  const baseline = await phase(user, product.id);

  const proxy = await toxiproxy.get('orders-postgres');
  await proxy.addToxic({
    name: 'db-latency',
    type: 'latency',
    stream: 'downstream',
    toxicity: 1,
    attributes: { latency: injectedMs, jitter: 0 },
  } as never);
  const faulty = await phase(user, product.id);

  await toxiproxy.reset();
  const healed = await phase(user, product.id);

  const report = { injectedMs, baseline, faulty, healed };
  console.log(JSON.stringify(report));
  assert.ok(
    faulty.p50 - baseline.p50 >= injectedMs,
    `client p50 rose by ≥ ${injectedMs} ms: ${JSON.stringify(report)}`,
  );
  assert.ok(
    faulty.prometheusMeanMs - baseline.prometheusMeanMs >= injectedMs,
    `Prometheus saw the rise: ${JSON.stringify(report)}`,
  );
  assert.ok(
    healed.p50 < baseline.p50 + injectedMs / 2,
    `p50 restored after the toxic was removed: ${JSON.stringify(report)}`,
  );
  assert.ok(healed.prometheusMeanMs < baseline.prometheusMeanMs + injectedMs / 2, 'Prometheus saw the recovery');
});
