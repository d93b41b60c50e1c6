import { AppError, ErrorCode } from '@confeitaria/platform';
import type { CartLine, CartRepository } from '../data/cart-repository';
import type { CatalogClient } from '../http/catalog-client';

/** Most units of one product a cart line may hold (the same bound as one order line). */
export const lineLimit = 100;

export interface CartView {
  items: CartLine[];
  totalCents: number;
}

/** The cart's use cases: lines priced at the catalog's price when they were last added to. */
export class CartService {
  constructor(
    private readonly carts: CartRepository,
    private readonly catalog: CatalogClient,
  ) {}

  async view(userId: string): Promise<CartView> {
    return toView(await this.carts.lines(userId));
  }

  /**
   * Adds units of a product: the product must exist, and the line's new quantity must stay within
   * the line limit and the product's current stock. The line takes the current catalog price.
   */
  async add(userId: string, productId: number, quantity: number): Promise<CartView> {
    const product = await this.catalog.findProduct(productId);
    if (!product) {
      throw new AppError(404, ErrorCode.NotFound, `product ${productId} not found`, [
        { field: '/productId', message: 'no such product' },
      ]);
    }
    const outcome = await this.carts.addLine(
      userId,
      { productId, quantity, unitPriceCents: product.priceCents },
      { lineLimit, stock: product.stock },
    );
    if (outcome === 'over-line-limit') {
      throw new AppError(400, ErrorCode.Validation, `a cart line holds at most ${lineLimit} units`, [
        { field: '/quantity', message: `the line would exceed ${lineLimit} units` },
      ]);
    }
    if (outcome === 'over-stock') {
      throw new AppError(409, ErrorCode.Conflict, `only ${product.stock} units of product ${productId} in stock`, [
        { field: '/quantity', message: `the line would exceed the ${product.stock} units in stock` },
      ]);
    }
    return this.view(userId);
  }

  async remove(userId: string, productId: number): Promise<CartView> {
    return toView(await this.carts.removeLine(userId, productId));
  }

  async clear(userId: string): Promise<void> {
    await this.carts.clear(userId);
  }

  /** What an order bought leaves the cart; items added since stay (once per order). */
  async removeOrdered(
    userId: string,
    orderId: string,
    lines: { productId: number; quantity: number }[],
  ): Promise<boolean> {
    return this.carts.removeOrdered(userId, orderId, lines);
  }
}

function toView(items: CartLine[]): CartView {
  return { items, totalCents: items.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0) };
}
