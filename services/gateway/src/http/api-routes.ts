import { createRouter, type UpstreamPool } from '@confeitaria/platform';
import type Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { Caller } from '../auth/token-verifier';
import { orderRequestFor, type PlaceOrderBody } from '../domain/cart-checkout';
import type { SagaAdmission } from '../domain/saga-admission';
import type { SharedBudget } from '../domain/shared-budget';
import { identifyCaller, requireAccess } from './auth-middleware';
import { docsRoutes } from './docs-routes';
import { type Operation, operations, type UpstreamName } from './operations';
import { authThrottle, type BucketLimit, rateLimit } from './rate-limit-middleware';
import { forward, relay, upstreamHeaders } from './upstream-route';
import { inputOf, validateInput } from './validate-input';

export interface ApiDependencies {
  upstreams: Record<UpstreamName, UpstreamPool>;
  verifyToken: (token: string) => Promise<Caller>;
  rateLimit: BucketLimit;
  /** The per-address login and registration budget, shared across replicas. */
  authBudget: SharedBudget;
  sagaAdmission: SagaAdmission;
}

/**
 * The public API (DESIGN.md §2), built from the operation table. Every /api route runs, in order:
 * identify the caller (strip client x-user-* headers, verify the bearer token) → rate limit →
 * access check (401/403/503) → input validation (400) → the operation's admission control, if any
 * (login throttle, saga admission: 429/503) → forward to the upstream.
 */
export function apiRoutes(deps: ApiDependencies): Router {
  const router = createRouter({ prefix: '/api' });
  router.use(identifyCaller(deps.verifyToken));
  router.use(rateLimit(deps.rateLimit));
  docsRoutes(router);

  // Operations that are more than a forward, and the ones behind admission control.
  const handlers: Record<string, Middleware> = { placeOrder: (ctx) => placeOrder(ctx, deps.upstreams) };
  const throttleAuth = authThrottle(deps.authBudget);
  const admitOrder: Middleware = (_, next) => deps.sagaAdmission.admit(next);
  const admission: Record<string, Middleware> = { login: throttleAuth, register: throttleAuth, placeOrder: admitOrder };
  for (const operation of operations) {
    const handle = handlers[operation.id] ?? forwardTo(operation, deps.upstreams[operation.upstream]);
    const admit = admission[operation.id];
    const personal = operation.access !== 'public' || personalPublic.has(operation.id);
    router.register(
      operation.path,
      [operation.method],
      [
        ...(personal ? [noStore] : []),
        requireAccess(operation.access),
        validateInput(operation),
        ...(admit ? [admit] : []),
        handle,
      ],
      { name: operation.id },
    );
  }
  return router;
}

/** Public operations whose answers are still one person's: a token, an account. */
const personalPublic = new Set(['login', 'register']);

/** Tokens and personal data are kept by no cache, shared or private. */
const noStore: Middleware = async (ctx, next) => {
  await next();
  ctx.set('Cache-Control', 'no-store');
};

/** The default: forward to the same path on the upstream, parameters re-encoded from their valid values. */
function forwardTo(operation: Operation, pool: UpstreamPool): Middleware {
  const headers = (operation.headers ?? []).map((header) => header.name.toLowerCase());
  return (ctx) => forward(ctx, pool, upstreamPath(operation.path, inputOf(ctx).params ?? {}), headers);
}

function upstreamPath(template: string, params: Record<string, unknown>): string {
  return template.replace(/:([A-Za-z]+)/g, (_, name: string) => encodeURIComponent(String(params[name])));
}

/** POST /api/orders: `{fromCart: true}` is resolved here, from the caller's cart, before orders sees it. */
async function placeOrder(ctx: Context, upstreams: Record<UpstreamName, UpstreamPool>): Promise<void> {
  const userHeaders = upstreamHeaders(ctx);
  const order = await orderRequestFor(inputOf(ctx).body as PlaceOrderBody, upstreams.cart, userHeaders);
  const response = await upstreams.orders.request({
    method: 'POST',
    path: '/orders',
    headers: { ...upstreamHeaders(ctx, ['idempotency-key']), 'content-type': 'application/json' },
    body: JSON.stringify(order),
  });
  relay(ctx, response);
}
