import { AppError, api, createBreaker, ErrorCode, UpstreamPool, urlList } from '@confeitaria/platform';
import { z } from 'zod';
import type { OrderLine } from '../data/order-repository';

const productList = z.object({ items: z.array(api.productView) });

export type PriceSnapshot = (lines: { productId: number; quantity: number }[]) => Promise<OrderLine[]>;

/**
 * Prices an order from the catalog at the moment it is placed (the price the customer pays even if
 * the catalog changes later). Calls go through a circuit breaker: when the catalog is failing, orders
 * are refused fast with 503 instead of piling up behind timeouts.
 */
export function catalogPriceSnapshot(catalogUrls: string, timeoutMs: number): PriceSnapshot {
  const catalog = new UpstreamPool('catalog', urlList(catalogUrls), {
    timeoutMs,
    retries: 1,
    backoffMs: 50,
    ejectMs: 5_000,
  });
  const lookup = createBreaker(
    'orders-catalog',
    async (ids: number[]) => {
      const response = await catalog.request({ method: 'GET', path: `/internal/products?ids=${ids.join(',')}` });
      if (response.status !== 200) throw new Error(`catalog answered ${response.status}`);
      return productList.parse(JSON.parse(response.body)).items;
    },
    { timeoutMs: 2 * timeoutMs + 500, dependency: 'catalog' },
  );
  return async (lines) => {
    const ids = [...new Set(lines.map((line) => line.productId))];
    const products = new Map((await lookup(ids)).map((product) => [product.id, product]));
    return lines.map((line, index) => {
      const product = products.get(line.productId);
      if (!product) {
        throw new AppError(404, ErrorCode.NotFound, `product ${line.productId} not found`, [
          { field: `/items/${index}/productId`, message: 'unknown product' },
        ]);
      }
      return { productId: line.productId, quantity: line.quantity, unitPriceCents: product.priceCents };
    });
  };
}
