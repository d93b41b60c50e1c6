import { api, type Cart, type Line } from './api';
import { session } from './session';
import { createStore } from './store';
import { traced } from './telemetry';

/** The caller's cart as last read or changed; null when logged out or not read yet. */
export const cart = createStore<Cart | null>(null);

/** The most of one product a cart line may hold (the API's limit). */
export const maxQuantity = 100;

export function itemCount(value: Cart | null): number {
  return value?.items.reduce((sum, line) => sum + line.quantity, 0) ?? 0;
}

export async function loadCart(options: { signal?: AbortSignal; quiet?: boolean } = {}): Promise<Cart> {
  const value = await api<Cart>('/cart', { auth: true, ...options });
  cart.set(value);
  return value;
}

/**
 * Adds units of a product to its line: the cart service adds to what the line holds, and refuses a
 * line over 100 units or over the stock.
 */
export function addToCart(productId: number, quantity: number): Promise<Cart> {
  return traced('add to cart', () => postItem(productId, quantity));
}

async function postItem(productId: number, quantity: number): Promise<Cart> {
  const value = await api<Cart>('/cart/items', { method: 'POST', auth: true, body: { productId, quantity } });
  cart.set(value);
  return value;
}

/** Sets a line to `quantity` units: adds the difference, or, as there is no way to take units out, rewrites the line. */
export function changeQuantity(line: Line, quantity: number): Promise<void> {
  return traced('change quantity', async () => {
    if (quantity > line.quantity) {
      await postItem(line.productId, quantity - line.quantity);
    } else if (quantity < line.quantity) {
      await deleteLine(line.productId);
      await postItem(line.productId, quantity);
    }
  });
}

export function removeLine(productId: number): Promise<void> {
  return traced('remove from cart', () => deleteLine(productId));
}

async function deleteLine(productId: number): Promise<void> {
  cart.set(await api<Cart>(`/cart/items/${productId}`, { method: 'DELETE', auth: true }));
}

/** Reads the cart for the count in the header; a stale token just logs the person out. */
export function refreshCart(): void {
  if (session.get()) loadCart({ quiet: true }).catch(() => undefined);
}

// Logging in reads the cart; logging out forgets it.
session.subscribe(() => {
  cart.set(null);
  refreshCart();
});
refreshCart();
