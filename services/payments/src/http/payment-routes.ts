import { createRouter, requireAdmin, validate } from '@confeitaria/platform';
import type Router from '@koa/router';
import type pg from 'pg';
import { z } from 'zod';
import { paymentsForOrder } from '../data/payment-repository';

const query = z.object({ orderId: z.uuid() });

/** Internal read route for the auditor and tests: the payments recorded for an order (zero or one). */
export function paymentRoutes(pool: pg.Pool): Router {
  const router = createRouter();
  router.get('/payments', async (ctx) => {
    // An internal read (tests, operators): only for a caller the gateway's secret vouches for as admin.
    requireAdmin(ctx);
    const { orderId } = validate(query, ctx.query, 'query');
    ctx.body = { items: await paymentsForOrder(pool, orderId) };
  });
  return router;
}
