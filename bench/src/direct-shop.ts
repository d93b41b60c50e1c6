/**
 * The whole shop wired straight to its datastores, for the order pipeline: the stack's saga services
 * (the consumers of every queue, and the gateway) are stopped, and the same code and configuration run
 * as bench instances without Toxiproxy, telemetry on. pgbench talks to Postgres directly; so does the
 * shop it is compared with, otherwise the ratio would price the fault-injection proxy (every query,
 * message and call crosses it twice) instead of the shop. `stop()` puts the stack's services back.
 */
import { writeScrapeTargets } from '@confeitaria/stack/components/collector';
import { host } from '@confeitaria/stack/ports';
import { components, waitHealthy } from '@confeitaria/stack/stack';
import { benchPort, directEnv, startInstance, stopInstances } from './instances';

/** Every service that consumes a queue or serves the order path; identity keeps running as it is. */
const replaced = ['gateway', 'orders', 'catalog-1', 'catalog-2', 'payments', 'notifications', 'cart'];

export interface DirectShop {
  gateway: string;
  /** Starts another payments worker on the same queue (the scaling part). */
  addPaymentsWorker(): Promise<void>;
  /** Stops the bench instances and starts the stack's services again. */
  stop(): Promise<void>;
}

const stackService = (name: string) => {
  const component = components().find((candidate) => candidate.name === name && candidate.kind === 'service');
  if (!component) throw new Error(`no stack service ${name}`);
  return component;
};

export interface DirectShopOptions {
  /** The telemetry preload in every instance (default true); false measures the shop untraced. */
  telemetry?: boolean;
  /**
   * The gateway's per-client rate limit lifted (default true: the benchmark's one k6 address sends
   * everything). False keeps the stack's limits, for a crowd from many addresses (capacity).
   */
  liftRateLimit?: boolean;
}

export async function startDirectShop(options: DirectShopOptions = {}): Promise<DirectShop> {
  const { telemetry = true, liftRateLimit = true } = options;
  for (const name of replaced) await stackService(name).stop();
  const restore = async () => {
    await stopInstances();
    writeScrapeTargets();
    // In the stack's own order: the gateway is ready only once what it routes to is.
    for (const component of components().filter((candidate) => replaced.includes(candidate.name))) {
      await component.start();
      const health = await waitHealthy(component, 45_000);
      if (!health.ok) {
        throw new Error(`${component.name} did not come back healthy after the benchmark: ${health.detail}`);
      }
    }
  };
  try {
    const scraped: { address: string; job: string }[] = [];
    const instance = (name: string, offset: number, env: Record<string, string> = {}) => {
      scraped.push({ address: `${host}:${benchPort(60 + offset)}`, job: name.replace(/-\d$/, '') });
      return startInstance({
        name: `bench-${name}`,
        service: name.replace(/-\d$/, ''),
        port: benchPort(60 + offset),
        env: { ...directEnv(name), ...env },
        telemetry,
      });
    };
    const catalogs = [await instance('catalog-1', 0), await instance('catalog-2', 1)].join(',');
    const orders = await instance('orders', 2, { CATALOG_URLS: catalogs });
    await instance('payments', 3);
    await instance('notifications', 4);
    const cart = await instance('cart', 5, { CATALOG_URLS: catalogs });
    const gateway = await instance('gateway', 6, {
      CATALOG_URLS: catalogs,
      CART_URL: cart,
      ORDERS_URL: orders,
      // One client (k6 on 127.0.0.1) sends everything: the per-client rate limit would be what is measured.
      ...(liftRateLimit ? { RATE_LIMIT_RPS: '1000000', RATE_LIMIT_BURST: '1000000' } : {}),
    });
    // Prometheus sees the instances' own metrics (orders_finished_total…) through the collector.
    writeScrapeTargets(scraped);
    let workers = 1;
    return {
      gateway,
      async addPaymentsWorker() {
        workers += 1;
        await startInstance({
          name: `bench-payments-${workers}`,
          service: 'payments',
          port: benchPort(66 + workers),
          env: directEnv('payments'),
          telemetry,
        });
      },
      stop: restore,
    };
  } catch (error) {
    await restore();
    throw error;
  }
}
