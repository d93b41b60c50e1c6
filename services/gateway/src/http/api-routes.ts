import Router from '@koa/router';
import type { Config } from '../config';
import { forward } from './upstream-route';

/** The public API (DESIGN.md §2). In this first slice: orders. */
export function apiRoutes(config: Config): Router {
  const orders = { name: 'orders', url: config.ORDERS_URL, timeoutMs: config.UPSTREAM_TIMEOUT_MS };
  const router = new Router({ prefix: '/api' });
  router.post('/orders', (ctx) => forward(ctx, orders, '/orders'));
  router.get('/orders/:id', (ctx) => forward(ctx, orders, `/orders/${encodeURIComponent(ctx.params.id ?? '')}`));
  return router;
}
