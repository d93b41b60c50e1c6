import { AppError, ErrorCode, withTransaction } from '@confeitaria/platform';
import type pg from 'pg';
import { findCategoryId } from '../data/category-repository';
import { findProduct, insertProduct, type ProductView } from '../data/product-repository';
import { insertMovement, lockStock, setStock } from '../data/stock-repository';

export interface NewProduct {
  name: string;
  description: string;
  priceCents: number;
  /** Category slug. */
  category: string;
  stock: number;
}

/** Adds a product; its starting stock is recorded as a CREATE movement so the stock audit covers it. */
export async function createProduct(primary: pg.Pool, product: NewProduct): Promise<ProductView> {
  return withTransaction(primary, async (client) => {
    const categoryId = await findCategoryId(client, product.category);
    if (categoryId === undefined) {
      throw new AppError(400, ErrorCode.Validation, `invalid body: /category unknown category '${product.category}'`, [
        { field: '/category', message: 'unknown category' },
      ]);
    }
    const id = await insertProduct(client, { ...product, categoryId });
    await insertMovement(client, id, product.stock, 'CREATE');
    return findProduct(client, id) as Promise<ProductView>;
  });
}

/**
 * Sets a product's stock to an absolute value. The row is locked first, so the difference recorded
 * as a movement is exact even while orders reserve units of the same product concurrently.
 */
export async function setProductStock(primary: pg.Pool, id: number, stock: number): Promise<ProductView> {
  return withTransaction(primary, async (client) => {
    const current = await lockStock(client, id);
    if (current === undefined) throw AppError.notFound('product');
    const delta = stock - current;
    if (delta !== 0) {
      await setStock(client, id, stock);
      await insertMovement(client, id, delta, delta > 0 ? 'RESTOCK' : 'ADJUST');
    }
    return findProduct(client, id) as Promise<ProductView>;
  });
}
