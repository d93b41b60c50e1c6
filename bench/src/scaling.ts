/**
 * Part 5, scaling on this machine: read throughput through a gateway with one catalog instance and with
 * two, and the orders the saga finishes per second with one payments worker and with two, at an offered
 * rate above what one sustains. On 2 cores a second instance competes for the same CPUs: the curve says
 * whether the work is CPU-bound (no gain) or waits on something a second instance can overlap.
 */
import { postgresUrl } from '@confeitaria/stack/components/postgres';
import pg from 'pg';
import type { BenchContext } from './context';
import { startDirectShop } from './direct-shop';
import { benchPort, directEnv, startInstance, stopInstance, stopInstances } from './instances';
import { measure } from './load';
import { offerOrders } from './pipeline';
import { benchProduct, customerToken } from './shop-client';

export interface Scaling {
  readsPerSecond: { one: number; two: number };
  ordersPerSecond: { one: number; two: number; offered: number };
}

export async function scaling(context: BenchContext, offered: number): Promise<Scaling> {
  const { progress, seconds, vus, outDir } = context;
  try {
    progress.step('scaling', 'starting two catalog instances and a gateway');
    const catalogs = [
      await startInstance({
        name: 'bench-catalog-a',
        service: 'catalog',
        port: benchPort(40),
        env: directEnv('catalog-1'),
        telemetry: true,
      }),
      await startInstance({
        name: 'bench-catalog-b',
        service: 'catalog',
        port: benchPort(41),
        env: directEnv('catalog-2'),
        telemetry: true,
      }),
    ];
    const reads: number[] = [];
    for (const count of [1, 2]) {
      const gateway = await startInstance({
        name: 'bench-gateway-scaling',
        service: 'gateway',
        port: benchPort(42),
        env: {
          ...directEnv('gateway'),
          CATALOG_URLS: catalogs.slice(0, count).join(','),
          RATE_LIMIT_RPS: '1000000',
          RATE_LIMIT_BURST: '1000000',
        },
        telemetry: true,
      });
      progress.step('scaling', `GET /api/products with ${count} catalog instance${count > 1 ? 's' : ''}`, seconds);
      reads.push(
        (
          await measure(
            { target: `${gateway}/api/products?page=1&pageSize=20`, vus, seconds },
            outDir,
            `scaling-read-${count}`,
          )
        ).rps,
      );
      await stopInstance('bench-gateway-scaling');
    }
    const [token, product] = await Promise.all([customerToken(), benchProduct(1_000_000)]);
    const client = new pg.Client({ connectionString: postgresUrl('primary', 'orders') });
    client.on('error', () => {});
    await client.connect();
    const orders: number[] = [];
    try {
      await stopInstances();
      progress.step('scaling', "replacing the stack's saga services with instances wired straight to the datastores");
      const shop = await startDirectShop();
      try {
        for (const count of [1, 2]) {
          if (count === 2) await shop.addPaymentsWorker();
          progress.step(
            'scaling',
            `${offered} orders/s offered with ${count} payments worker${count > 1 ? 's' : ''}`,
            seconds,
          );
          const step = await offerOrders(context, shop.gateway, offered, seconds, token, product.id, client);
          orders.push(step.finishedPerSecond);
        }
      } finally {
        progress.step('scaling', "putting the stack's own services back");
        await shop.stop();
      }
    } finally {
      await client.end();
    }
    return {
      readsPerSecond: { one: reads[0] ?? 0, two: reads[1] ?? 0 },
      ordersPerSecond: { one: orders[0] ?? 0, two: orders[1] ?? 0, offered },
    };
  } finally {
    await stopInstances();
  }
}
