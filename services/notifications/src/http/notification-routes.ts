import { validate } from '@confeitaria/platform';
import Router from '@koa/router';
import type pg from 'pg';
import { z } from 'zod';
import { notificationsForOrder } from '../data/notification-repository';

const query = z.object({ orderId: z.uuid() });

export function notificationRoutes(pool: pg.Pool): Router {
  const router = new Router();
  router.get('/notifications', async (ctx) => {
    const { orderId } = validate(query, ctx.query, 'query');
    ctx.body = { items: await notificationsForOrder(pool, orderId) };
  });
  return router;
}
