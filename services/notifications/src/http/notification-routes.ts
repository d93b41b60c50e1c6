import { createRouter, requireAdmin, validate } from '@confeitaria/platform';
import type Router from '@koa/router';
import type pg from 'pg';
import { z } from 'zod';
import { notificationsForOrder } from '../data/notification-repository';

const query = z.object({ orderId: z.uuid() });

export function notificationRoutes(pool: pg.Pool): Router {
  const router = createRouter();
  router.get('/notifications', async (ctx) => {
    // An internal read (tests, operators): only for a caller the gateway's secret vouches for as admin.
    requireAdmin(ctx);
    const { orderId } = validate(query, ctx.query, 'query');
    ctx.body = { items: await notificationsForOrder(pool, orderId) };
  });
  return router;
}
