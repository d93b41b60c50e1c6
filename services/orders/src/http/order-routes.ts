import { AppError, api, createRouter, ErrorCode, requestBody, requireUser, validate } from '@confeitaria/platform';
import type Router from '@koa/router';
import { trace } from '@opentelemetry/api';
import type pg from 'pg';
import type { Order } from '../data/order-repository';
import { findOrder, listOrders, sagaLoad } from '../data/order-repository';
import { placeOrder } from '../domain/place-order';
import type { PriceSnapshot } from '../domain/price-snapshot';

/** The public view of an order: what DESIGN.md §2 promises, without internal fields. */
const view = (order: Order) => ({
  id: order.id,
  status: order.status,
  ...(order.reason ? { reason: order.reason } : {}),
  items: order.items,
  totalCents: order.totalCents,
  createdAt: order.createdAt,
  updatedAt: order.updatedAt,
});

export function orderRoutes(pool: pg.Pool, priceSnapshot: PriceSnapshot): Router {
  const router = createRouter();

  router.post('/orders', async (ctx) => {
    const user = requireUser(ctx);
    const body = validate(api.placeOrderBody, requestBody(ctx));
    if (!('items' in body)) {
      throw new AppError(400, ErrorCode.Validation, 'fromCart is resolved by the gateway; send items', [
        { field: '/fromCart', message: 'not accepted here' },
      ]);
    }
    const key = ctx.get('idempotency-key');
    const idempotencyKey = key ? validate(api.idempotencyKeyHeader, key, 'Idempotency-Key header') : undefined;
    const { order } = await placeOrder(pool, priceSnapshot, {
      userId: user.id,
      items: body.items,
      paymentToken: body.paymentToken ?? 'tok_visa',
      idempotencyKey,
    });
    ctx.status = 202;
    ctx.set('Location', `/api/orders/${order.id}`);
    ctx.body = view(order);
  });

  router.get('/orders/:id', async (ctx) => {
    const user = requireUser(ctx);
    const { id } = validate(api.orderIdParam, ctx.params, 'path');
    trace.getActiveSpan()?.setAttribute('order.id', id);
    const order = await findOrder(pool, id);
    // Another user's order is reported as missing: its existence is not theirs to know.
    if (!order || order.userId !== user.id) throw AppError.notFound('order');
    ctx.body = view(order);
  });

  router.get('/orders', async (ctx) => {
    const user = requireUser(ctx);
    ctx.body = { items: (await listOrders(pool, user.id)).map(view) };
  });

  // Internal (not routed by the gateway's public API): the gateway polls it to shed new orders while
  // the saga is behind (services/gateway/src/domain/saga-admission.ts).
  router.get('/saga/load', async (ctx) => {
    ctx.body = await sagaLoad(pool);
  });

  return router;
}
