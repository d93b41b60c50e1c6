import { AppError, api, createRouter, requestBody, requireAdmin, validate } from '@confeitaria/platform';
import type Router from '@koa/router';
import type { Middleware } from 'koa';
import type pg from 'pg';
import { z } from 'zod';
import { listCategories } from '../data/category-repository';
import { findProduct, findProducts, listProducts } from '../data/product-repository';
import type { Queryable } from '../data/queryable';
import { createProduct, setProductStock } from '../domain/product-admin';

const productIdText = z
  .string()
  .regex(/^[1-9][0-9]{0,9}$/, 'must be a positive integer')
  .transform(Number)
  .pipe(z.number().max(2_147_483_647));

/** `?ids=1,2,3`: what orders and cart ask for (price snapshot, availability). */
const internalProductsQuery = z.strictObject({
  ids: z
    .string()
    .max(1_200)
    .transform((ids) => ids.split(','))
    .pipe(z.array(productIdText).min(1).max(100)),
});

/**
 * The catalog's routes, as the gateway maps them (`/api/products` → `/products`). Reads go through
 * `read` (the replica, falling back to the primary); writes go to `primary`.
 */
/**
 * The gateway only lets admins reach the write routes; checking the role it passes here too means a
 * caller that bypasses the gateway cannot change the catalogue.
 */
const adminOnly: Middleware = async (ctx, next) => {
  requireAdmin(ctx);
  await next();
};

export function catalogRoutes(read: Queryable, primary: pg.Pool): Router {
  const router = createRouter();

  router.get('/categories', async (ctx) => {
    ctx.body = { items: await listCategories(read) };
  });

  router.get('/products', async (ctx) => {
    const query = validate(api.productListQuery, ctx.query, 'query');
    const page = await listProducts(read, {
      category: query.category,
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    ctx.body = { items: page.items, page: query.page, pageSize: query.pageSize, total: page.total };
  });

  router.get('/products/:id', async (ctx) => {
    const { id } = validate(api.productIdParam, ctx.params, 'path');
    // A product created a moment ago may not have reached the replica yet: a miss asks the primary.
    const product = (await findProduct(read, id)) ?? (await findProduct(primary, id));
    if (!product) throw AppError.notFound('product');
    ctx.body = product;
  });

  router.get('/internal/products', async (ctx) => {
    const { ids } = validate(internalProductsQuery, ctx.query, 'query');
    const wanted = [...new Set(ids)];
    const found = await findProducts(read, wanted);
    // Ids the replica does not have yet (replication lag after a create) are read from the primary, so
    // an order for a brand-new product is not refused as "unknown product".
    const missing = wanted.filter((id) => !found.some((product) => product.id === id));
    const late = missing.length ? await findProducts(primary, missing) : [];
    ctx.body = { items: [...found, ...late].sort((a, b) => a.id - b.id) };
  });

  router.post('/products', adminOnly, async (ctx) => {
    const body = validate(api.createProductBody, requestBody(ctx));
    const product = await createProduct(primary, body);
    ctx.status = 201;
    ctx.set('Location', `/api/products/${product.id}`);
    ctx.body = product;
  });

  router.put('/products/:id/stock', adminOnly, async (ctx) => {
    const { id } = validate(api.productIdParam, ctx.params, 'path');
    const { stock } = validate(api.setStockBody, requestBody(ctx));
    ctx.body = await setProductStock(primary, id, stock);
  });

  return router;
}
