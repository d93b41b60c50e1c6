import { AppError, api, callUpstream, ErrorCode, type UpstreamResponse } from '@confeitaria/platform';
import type { Logger } from 'pino';

/** What the cart needs to know about a product. */
export interface CatalogProduct {
  id: number;
  priceCents: number;
  stock: number;
}

const productAnswer = api.productView.pick({ id: true, priceCents: true, stock: true });

/**
 * Reads products from the catalog, which runs as several identical instances. Requests rotate over the
 * instances; one that is unreachable, times out or answers 5xx is skipped for the next, so losing an
 * instance costs a request at most one timeout, not a failure. Only when every instance fails does the
 * caller get a 503. (Kept self-contained so it can move into the platform as a shared client.)
 */
export class CatalogClient {
  private turn = 0;

  constructor(
    private readonly baseUrls: readonly string[],
    private readonly timeoutMs: number,
    private readonly logger: Logger,
  ) {
    if (baseUrls.length === 0) throw new Error('CatalogClient needs at least one catalog URL');
  }

  /** The product, or undefined when the catalog does not know it. */
  async findProduct(id: number): Promise<CatalogProduct | undefined> {
    const response = await this.get(`/products/${id}`);
    if (response.status === 404) return undefined;
    if (response.status !== 200) {
      throw new AppError(502, ErrorCode.UpstreamUnavailable, `catalog answered ${response.status} for product ${id}`);
    }
    let body: unknown;
    try {
      body = JSON.parse(response.body);
    } catch {
      body = undefined;
    }
    const parsed = productAnswer.safeParse(body);
    if (!parsed.success) {
      throw new AppError(502, ErrorCode.UpstreamUnavailable, `catalog sent an unreadable product ${id}`);
    }
    return parsed.data;
  }

  private async get(path: string): Promise<UpstreamResponse> {
    const count = this.baseUrls.length;
    const first = this.turn;
    this.turn = (this.turn + 1) % count;
    for (let offset = 0; offset < count; offset++) {
      const baseUrl = this.baseUrls[(first + offset) % count] as string;
      try {
        const response = await callUpstream('catalog', {
          method: 'GET',
          url: `${baseUrl}${path}`,
          headers: { accept: 'application/json' },
          timeoutMs: this.timeoutMs,
        });
        if (response.status < 500) return response;
        this.logger.warn({ instance: baseUrl, status: response.status }, 'catalog instance failed; trying the next');
      } catch (error) {
        const unreachable = error instanceof AppError && (error.status === 503 || error.status === 504);
        if (!unreachable) throw error;
        this.logger.warn({ instance: baseUrl, err: error.message }, 'catalog instance unreachable; trying the next');
      }
    }
    throw new AppError(503, ErrorCode.UpstreamUnavailable, 'catalog is unavailable');
  }
}
