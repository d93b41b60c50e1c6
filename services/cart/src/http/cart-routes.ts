import { api, createRouter, requestBody, requireUser, validate } from '@confeitaria/platform';
import type Router from '@koa/router';
import { z } from 'zod';
import type { CartService } from '../domain/cart-service';

const lineParams = z.object({ productId: api.productIdParam.shape.id });

/**
 * The cart's internal routes, behind the gateway. The gateway authenticates the user and passes the id
 * in `x-user-id`; the cart checks it again (defence in depth), so a request that bypasses the gateway
 * cannot reach a cart without naming a user.
 */
export function cartRoutes(carts: CartService): Router {
  const router = createRouter<{ userId: string }>();

  router.use(async (ctx, next) => {
    ctx.state.userId = requireUser(ctx).id;
    await next();
  });

  router.get('/cart', async (ctx) => {
    ctx.body = await carts.view(ctx.state.userId);
  });

  router.post('/cart/items', async (ctx) => {
    const { productId, quantity } = validate(api.cartItemBody, requestBody(ctx));
    ctx.body = await carts.add(ctx.state.userId, productId, quantity);
  });

  router.delete('/cart/items/:productId', async (ctx) => {
    const { productId } = validate(lineParams, ctx.params, 'path');
    ctx.body = await carts.remove(ctx.state.userId, productId);
  });

  router.delete('/cart', async (ctx) => {
    await carts.clear(ctx.state.userId);
    ctx.status = 204;
  });

  return router;
}
