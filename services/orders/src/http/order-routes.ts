import { AppError, requestBody, validate } from '@confeitaria/platform';
import Router from '@koa/router';
import { trace } from '@opentelemetry/api';
import type pg from 'pg';
import { z } from 'zod';
import { findOrder } from '../data/order-repository';
import { placeOrder } from '../domain/place-order';

const placeOrderBody = z.strictObject({
  items: z
    .array(
      z.strictObject({
        productId: z.number().int().positive().max(2_147_483_647),
        quantity: z.number().int().min(1).max(100),
      }),
    )
    .min(1)
    .max(50),
});

const orderIdParams = z.object({ id: z.uuid() });

export function orderRoutes(pool: pg.Pool): Router {
  const router = new Router();

  router.post('/orders', async (ctx) => {
    const body = validate(placeOrderBody, requestBody(ctx));
    const order = await placeOrder(pool, body.items);
    ctx.status = 202;
    ctx.set('Location', `/api/orders/${order.id}`);
    ctx.body = order;
  });

  router.get('/orders/:id', async (ctx) => {
    const { id } = validate(orderIdParams, ctx.params, 'path');
    trace.getActiveSpan()?.setAttribute('order.id', id);
    const order = await findOrder(pool, id);
    if (!order) throw AppError.notFound('order');
    ctx.body = order;
  });

  return router;
}
