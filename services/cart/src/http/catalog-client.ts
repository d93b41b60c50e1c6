import { AppError, api, ErrorCode, jsonOf, UpstreamPool } from '@confeitaria/platform';

/** What the cart needs to know about a product. */
export interface CatalogProduct {
  id: number;
  priceCents: number;
  stock: number;
}

const productAnswer = api.productView.pick({ id: true, priceCents: true, stock: true });

/**
 * Reads products from the catalog, which runs as several identical instances, through the platform's
 * upstream pool: an unreachable instance is skipped and the read repeated on another, so losing an
 * instance costs a request at most one timeout, not a failure; only when every instance fails does the
 * caller get a 503.
 */
export class CatalogClient {
  private readonly pool: UpstreamPool;

  constructor(baseUrls: readonly string[], timeoutMs: number) {
    this.pool = new UpstreamPool('catalog', [...baseUrls], { timeoutMs, retries: 1, backoffMs: 50, ejectMs: 5_000 });
  }

  /** The product, or undefined when the catalog does not know it. */
  async findProduct(id: number): Promise<CatalogProduct | undefined> {
    const response = await this.pool.request({
      method: 'GET',
      path: `/products/${id}`,
      headers: { accept: 'application/json' },
    });
    if (response.status === 404) return undefined;
    if (response.status !== 200) {
      throw new AppError(502, ErrorCode.UpstreamUnavailable, `catalog answered ${response.status} for product ${id}`);
    }
    const parsed = productAnswer.safeParse(jsonOf(response.body));
    if (!parsed.success) {
      throw new AppError(502, ErrorCode.UpstreamUnavailable, `catalog sent an unreadable product ${id}`);
    }
    return parsed.data;
  }
}
