import { api } from '@confeitaria/platform';
import { z } from 'zod';
import type { Access } from './auth-middleware';

export type UpstreamName = 'identity' | 'catalog' | 'cart' | 'orders';

/** One public operation (DESIGN.md §2): how it is routed, guarded and validated, and how it is documented. */
export interface Operation {
  id: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Below /api, in Koa syntax; the upstream path is the same with the parameters filled in. */
  path: string;
  summary: string;
  access: Access;
  upstream: UpstreamName;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** Request headers passed on to the upstream. */
  headers?: { name: string; schema: z.ZodType; description: string }[];
  success: { status: number; description: string; schema?: z.ZodType; location?: boolean };
  /** The failures particular to this operation; the ones every operation shares are added by the docs. */
  failures: Record<number, string>;
}

export const cartItemParam = z.object({ productId: api.productIdParam.shape.id });
export const categoryList = z.object({ items: z.array(api.categoryView) });
export const productPage = z.object({
  items: z.array(api.productView),
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int(),
});
export const orderList = z.object({ items: z.array(api.orderView) });

/**
 * The whole public API in one table: the router is built from it and the OpenAPI document is
 * generated from it, so what is documented is what is routed and enforced.
 */
export const operations: Operation[] = [
  {
    id: 'register',
    method: 'POST',
    path: '/auth/register',
    summary: 'Create a customer account.',
    access: 'public',
    upstream: 'identity',
    body: api.registerBody,
    success: { status: 201, description: 'The account.', schema: api.userView },
    failures: {
      409: 'The email is already registered.',
      429: 'Too many logins or registrations from this address (reason login_throttled); see Retry-After.',
      503: 'identity is unavailable, its password-hashing queue is full (reason hashing_busy), or the gateway is at capacity (reason at_capacity); see Retry-After.',
    },
  },
  {
    id: 'login',
    method: 'POST',
    path: '/auth/login',
    summary: 'Exchange email and password for an access token (JWT, ES256).',
    access: 'public',
    upstream: 'identity',
    body: api.loginBody,
    success: { status: 200, description: 'The access token.', schema: api.tokenView },
    failures: {
      401: 'Unknown email or wrong password.',
      429: 'Too many logins from this address, or too many failed logins for this account (reason login_throttled); see Retry-After.',
      503: 'identity is unavailable, its password-hashing queue is full (reason hashing_busy), or the gateway is at capacity (reason at_capacity); see Retry-After.',
    },
  },
  {
    id: 'listCategories',
    method: 'GET',
    path: '/categories',
    summary: 'List the product categories.',
    access: 'public',
    upstream: 'catalog',
    success: { status: 200, description: 'Every category.', schema: categoryList },
    failures: {},
  },
  {
    id: 'listProducts',
    method: 'GET',
    path: '/products',
    summary: 'List products, optionally of one category (by slug), a page at a time.',
    access: 'public',
    upstream: 'catalog',
    query: api.productListQuery,
    success: { status: 200, description: 'One page of products.', schema: productPage },
    failures: {},
  },
  {
    id: 'getProduct',
    method: 'GET',
    path: '/products/:id',
    summary: 'Read one product, with its current stock.',
    access: 'public',
    upstream: 'catalog',
    params: api.productIdParam,
    success: { status: 200, description: 'The product.', schema: api.productView },
    failures: { 404: 'No such product.' },
  },
  {
    id: 'createProduct',
    method: 'POST',
    path: '/products',
    summary: 'Add a product to the catalog.',
    access: 'admin',
    upstream: 'catalog',
    body: api.createProductBody,
    success: { status: 201, description: 'The new product.', schema: api.productView },
    failures: {},
  },
  {
    id: 'setStock',
    method: 'PUT',
    path: '/products/:id/stock',
    summary: "Set a product's stock.",
    access: 'admin',
    upstream: 'catalog',
    params: api.productIdParam,
    body: api.setStockBody,
    success: { status: 200, description: 'The product with its new stock.', schema: api.productView },
    failures: { 404: 'No such product.' },
  },
  {
    id: 'getCart',
    method: 'GET',
    path: '/cart',
    summary: "Read the caller's cart.",
    access: 'user',
    upstream: 'cart',
    success: { status: 200, description: 'The cart.', schema: api.cartView },
    failures: {},
  },
  {
    id: 'addCartItem',
    method: 'POST',
    path: '/cart/items',
    summary:
      'Add units of a product to the cart (added to any already there; a line holds at most 100 and never more than the stock).',
    access: 'user',
    upstream: 'cart',
    body: api.cartItemBody,
    success: { status: 200, description: 'The cart.', schema: api.cartView },
    failures: { 404: 'No such product.' },
  },
  {
    id: 'removeCartItem',
    method: 'DELETE',
    path: '/cart/items/:productId',
    summary: 'Take a product out of the cart.',
    access: 'user',
    upstream: 'cart',
    params: cartItemParam,
    success: { status: 200, description: 'The cart.', schema: api.cartView },
    failures: {},
  },
  {
    id: 'clearCart',
    method: 'DELETE',
    path: '/cart',
    summary: 'Empty the cart.',
    access: 'user',
    upstream: 'cart',
    success: { status: 204, description: 'The cart is empty.' },
    failures: {},
  },
  {
    id: 'placeOrder',
    method: 'POST',
    path: '/orders',
    summary:
      'Place an order, from the items given or from the cart (`fromCart: true`). Accepted at once; ' +
      'stock and payment are settled asynchronously: poll the order for CONFIRMED or CANCELLED.',
    access: 'user',
    upstream: 'orders',
    body: api.placeOrderBody,
    headers: [
      {
        name: 'Idempotency-Key',
        schema: api.idempotencyKeyHeader,
        description: 'Replaying a key with the same body returns the same order.',
      },
    ],
    success: { status: 202, description: 'The order, PENDING.', schema: api.orderView, location: true },
    failures: {
      404: 'A product does not exist.',
      409: 'The Idempotency-Key was used with another body.',
      503: 'orders or cart is unavailable, the order pipeline is behind (reason saga_behind), or the gateway is at capacity (reason at_capacity); see Retry-After.',
    },
  },
  {
    id: 'getOrder',
    method: 'GET',
    path: '/orders/:id',
    summary: "Read one of the caller's orders.",
    access: 'user',
    upstream: 'orders',
    params: api.orderIdParam,
    success: { status: 200, description: 'The order.', schema: api.orderView },
    failures: { 404: "No such order (also for another user's order)." },
  },
  {
    id: 'listOrders',
    method: 'GET',
    path: '/orders',
    summary: "List the caller's orders.",
    access: 'user',
    upstream: 'orders',
    success: { status: 200, description: "The caller's orders.", schema: orderList },
    failures: {},
  },
];
