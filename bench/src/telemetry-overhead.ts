/**
 * Part 1, telemetry overhead: the same read (GET /api/products) and write (POST /api/orders) through two
 * identical gateway → catalog / orders chains, one with the OpenTelemetry preload (traces exported to the
 * collector) and one without it (OTEL_SDK_DISABLED, no preload), measured in alternating rounds so drift
 * on a shared machine hits both alike. Prometheus metrics (prom-client) stay on in both: they are the
 * services' own RED metrics, not the tracing this part prices.
 */
import type { BenchContext } from './context';
import { benchPort, directEnv, runningInstances, startInstance, stopInstances } from './instances';
import { type LoadFigures, measure } from './load';
import { type CpuShare, cpuBetween, cpuSnapshot } from './process-tree';
import { benchProduct, customerToken } from './shop-client';

export interface VariantFigures {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  failed: number;
  rounds: LoadFigures[];
}

export interface EndpointComparison {
  endpoint: string;
  on: VariantFigures;
  off: VariantFigures;
  /** on ÷ off: throughput (target ≥ 0.85) and p99 (target ≤ 1.3). */
  throughputRatio: number;
  p99Ratio: number;
  /** Cores per process during this endpoint's measurements, telemetry on and off: where the difference goes. */
  cpu: { on: CpuShare[]; off: CpuShare[] };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

function summarise(rounds: LoadFigures[]): VariantFigures {
  const requests = rounds.reduce((sum, round) => sum + round.requests, 0);
  const failed = rounds.reduce((sum, round) => sum + round.failed * round.requests, 0);
  return {
    rps: rounds.reduce((sum, round) => sum + round.rps, 0) / rounds.length,
    p50Ms: median(rounds.map((round) => round.p50Ms)),
    p99Ms: median(rounds.map((round) => round.p99Ms)),
    failed: requests ? failed / requests : 1,
    rounds,
  };
}

/** Starts the on and off chains; returns each gateway's URL. */
async function startChains(): Promise<Record<'on' | 'off', string>> {
  const urls = { on: '', off: '' };
  for (const [index, variant] of (['on', 'off'] as const).entries()) {
    const telemetry = variant === 'on';
    const catalog = await startInstance({
      name: `bench-catalog-${variant}`,
      service: 'catalog',
      port: benchPort(index * 10),
      env: directEnv('catalog-1'),
      telemetry,
    });
    const orders = await startInstance({
      name: `bench-orders-${variant}`,
      service: 'orders',
      port: benchPort(index * 10 + 1),
      env: { ...directEnv('orders'), CATALOG_URLS: catalog },
      telemetry,
    });
    urls[variant] = await startInstance({
      name: `bench-gateway-${variant}`,
      service: 'gateway',
      port: benchPort(index * 10 + 2),
      // One client (k6 on 127.0.0.1) sends everything: the per-client rate limit would be what is measured.
      env: {
        ...directEnv('gateway'),
        CATALOG_URLS: catalog,
        ORDERS_URL: orders,
        RATE_LIMIT_RPS: '1000000',
        RATE_LIMIT_BURST: '1000000',
      },
      telemetry,
    });
  }
  return urls;
}

export async function telemetryOverhead(context: BenchContext): Promise<EndpointComparison[]> {
  const { progress, seconds, rounds, vus, outDir, quick } = context;
  progress.step('telemetry', 'starting a gateway → catalog / orders chain with telemetry on, and one with it off');
  try {
    const gateways = await startChains();
    const [token, product] = await Promise.all([customerToken(), benchProduct(1_000_000)]);
    const endpoints = [
      { endpoint: 'GET /api/products', path: '/api/products?page=1&pageSize=20', method: 'GET' as const },
      {
        endpoint: 'POST /api/orders',
        path: '/api/orders',
        method: 'POST' as const,
        body: JSON.stringify({ items: [{ productId: product.id, quantity: 1 }], paymentToken: 'tok_visa' }),
      },
    ];
    // Unmeasured warm-up of every chain and endpoint: JIT, connection pools and caches start warm in both.
    for (const variant of ['on', 'off'] as const) {
      for (const endpoint of endpoints) {
        progress.step('telemetry', `warming up: telemetry ${variant}, ${endpoint.endpoint}`, 3);
        const target = `${gateways[variant]}${endpoint.path}`;
        await measure(
          { target, method: endpoint.method, body: endpoint.body, token, vus, seconds: quick ? 1 : 3 },
          outDir,
          'warm-up',
        );
      }
    }
    const results = new Map<string, Record<'on' | 'off', LoadFigures[]> & { cpu: Record<'on' | 'off', CpuShare[]> }>();
    for (let round = 1; round <= rounds; round++) {
      // Alternate which variant goes first, so neither always runs on a warmer (or busier) machine.
      const order = round % 2 ? (['on', 'off'] as const) : (['off', 'on'] as const);
      for (const variant of order) {
        for (const endpoint of endpoints) {
          progress.step('telemetry', `round ${round}/${rounds}, telemetry ${variant}, ${endpoint.endpoint}`, seconds);
          const cpuBefore = await cpuSnapshot(runningInstances());
          const started = Date.now();
          const figures = await measure(
            {
              target: `${gateways[variant]}${endpoint.path}`,
              method: endpoint.method,
              body: endpoint.body,
              token,
              vus,
              seconds,
            },
            outDir,
            `telemetry-${variant}-${endpoint.method.toLowerCase()}`,
          );
          const cpu = cpuBetween(cpuBefore, await cpuSnapshot(runningInstances()), (Date.now() - started) / 1000);
          const entry = results.get(endpoint.endpoint) ?? { on: [], off: [], cpu: { on: [], off: [] } };
          entry[variant].push(figures);
          entry.cpu[variant] = cpu; // the last round's, as a representative sample
          results.set(endpoint.endpoint, entry);
        }
      }
    }
    return [...results].map(([endpoint, byVariant]) => {
      const on = summarise(byVariant.on);
      const off = summarise(byVariant.off);
      return {
        endpoint,
        on,
        off,
        throughputRatio: on.rps / off.rps,
        p99Ratio: on.p99Ms / off.p99Ms,
        cpu: byVariant.cpu,
      };
    });
  } finally {
    await stopInstances();
  }
}
