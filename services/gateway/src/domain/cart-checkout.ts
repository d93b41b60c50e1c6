import type { UpstreamPool } from '@confeitaria/platform';
import { AppError, api, ErrorCode, jsonOf } from '@confeitaria/platform';
import type { z } from 'zod';

export type PlaceOrderBody = z.infer<typeof api.placeOrderBody>;
export type OrderLine = { productId: number; quantity: number };

/**
 * The body orders receives: the items given, or, for `{fromCart: true}`, the lines of the caller's
 * cart (read from the cart service as that user). An empty cart is the client's mistake (400); a
 * cart service that does not answer properly is the gateway's problem (502/503/504).
 */
export async function orderRequestFor(
  body: PlaceOrderBody,
  cart: UpstreamPool,
  userHeaders: Record<string, string>,
): Promise<{ items: OrderLine[]; paymentToken?: string }> {
  const paymentToken = body.paymentToken === undefined ? {} : { paymentToken: body.paymentToken };
  if (!('fromCart' in body)) return { items: body.items, ...paymentToken };

  const response = await cart.request({ method: 'GET', path: '/cart', headers: userHeaders });
  if (response.status >= 500) {
    throw new AppError(503, ErrorCode.UpstreamUnavailable, `cart answered ${response.status}`);
  }
  if (response.status !== 200) {
    throw new AppError(502, ErrorCode.UpstreamUnavailable, `cart answered ${response.status} to a cart read`);
  }
  const parsed = api.cartView.safeParse(jsonOf(response.body));
  if (!parsed.success) throw new AppError(502, ErrorCode.UpstreamUnavailable, 'cart answered with an unexpected body');
  if (parsed.data.items.length === 0) {
    throw new AppError(400, ErrorCode.Validation, 'the cart is empty: nothing to order', [
      { field: '/fromCart', message: 'the cart is empty' },
    ]);
  }
  const items = parsed.data.items.map(({ productId, quantity }) => ({ productId, quantity }));
  return { items, ...paymentToken };
}
