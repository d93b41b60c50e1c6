import { validate } from '@confeitaria/platform';
import Router from '@koa/router';
import type pg from 'pg';
import { z } from 'zod';
import { paymentsForOrder } from '../data/payment-repository';

const query = z.object({ orderId: z.uuid() });

/** Internal read route for the auditor and tests: the payments recorded for an order (zero or one). */
export function paymentRoutes(pool: pg.Pool): Router {
  const router = new Router();
  router.get('/payments', async (ctx) => {
    const { orderId } = validate(query, ctx.query, 'query');
    ctx.body = { items: await paymentsForOrder(pool, orderId) };
  });
  return router;
}
