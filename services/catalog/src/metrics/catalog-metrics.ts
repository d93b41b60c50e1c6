import { registry } from '@confeitaria/platform';
import { Counter, Gauge } from 'prom-client';

export const replicaAvailable = new Gauge({
  name: 'catalog_replica_available',
  help: 'Whether reads are served by the read replica (1) or fall back to the primary (0).',
  registers: [registry],
});

export const readFallbacksTotal = new Counter({
  name: 'catalog_read_fallbacks_total',
  help: 'Reads served by the primary because the replica failed or was marked down.',
  registers: [registry],
});

export const reservationsTotal = new Counter({
  name: 'catalog_reservations_total',
  help: 'Orders whose stock was reserved or rejected (out of stock or unknown product).',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

type StockSource = () => Promise<{ id: number; stock: number }[]>;
let stockSource: StockSource | undefined;

/** Where `catalog_stock` reads from at scrape time (the read router, so scrapes stay off the primary). */
export function observeStock(source: StockSource | undefined): void {
  stockSource = source;
}

export const stockUnits = new Gauge({
  name: 'catalog_stock',
  help: 'Units in stock per product (the first 100 products by id, to bound the series a scrape adds).',
  labelNames: ['product_id'] as const,
  registers: [registry],
  async collect() {
    if (!stockSource) return;
    try {
      const rows = await stockSource();
      this.reset();
      for (const row of rows) this.set({ product_id: String(row.id) }, row.stock);
    } catch {
      // The database is unreachable: a scrape must still answer; the series go stale instead.
    }
  },
});
