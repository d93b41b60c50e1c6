import { requestBody, type UpstreamPool, type UpstreamResponse, userHeaders } from '@confeitaria/platform';
import type { Context } from 'koa';
import { callerFrom } from './auth-middleware';

/** Client headers the upstreams need; everything else (cookies, x-user-*, hop-by-hop) stays at the edge. */
const passedThrough = ['accept'];

/**
 * The headers an upstream call carries: the few passed through, the caller's identity as the gateway
 * established it (`x-user-id`, `x-user-role`, signed in `x-user-assertion`), and the ones an operation names (e.g. Idempotency-Key).
 */
export function upstreamHeaders(ctx: Context, extra: readonly string[] = []): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of [...passedThrough, ...extra]) {
    const value = ctx.get(name);
    if (value) headers[name] = value;
  }
  const caller = callerFrom(ctx);
  return caller ? { ...headers, ...userHeaders(caller) } : headers;
}

/**
 * Forwards the request to `path` on an upstream and relays its answer. The route template stays the
 * gateway's own, so RED metrics and spans are labelled by public route. The body sent on is the one
 * the gateway parsed (and validated), never the raw bytes.
 */
export async function forward(ctx: Context, pool: UpstreamPool, path: string, extraHeaders: readonly string[] = []) {
  const body = requestBody(ctx);
  const hasBody = ['POST', 'PUT', 'PATCH'].includes(ctx.method) && body !== undefined;
  const headers = upstreamHeaders(ctx, extraHeaders);
  if (hasBody) headers['content-type'] = 'application/json';
  const response = await pool.request({
    method: ctx.method,
    path: `${path}${ctx.querystring ? `?${ctx.querystring}` : ''}`,
    headers,
    body: hasBody ? JSON.stringify(body) : undefined,
  });
  relay(ctx, response);
}

/** Copies an upstream answer onto the response: status, content type, body, Location made public. */
export function relay(ctx: Context, response: UpstreamResponse): void {
  ctx.status = response.status;
  if (response.location) ctx.set('Location', publicLocation(response.location));
  if (response.retryAfter) ctx.set('Retry-After', response.retryAfter);
  if (response.status === 204 || response.status === 304) {
    ctx.body = null;
    return;
  }
  if (response.contentType) ctx.type = response.contentType;
  ctx.body = response.body;
}

/**
 * Upstreams know their own paths (`/orders/<id>`, maybe as an absolute URL on their own host); the
 * client must be sent to the gateway's (`/api/orders/<id>`).
 */
export function publicLocation(location: string): string {
  const absolute = /^[a-z][a-z0-9+.-]*:\/\//i.test(location) ? URL.parse(location) : null;
  const path = absolute ? `${absolute.pathname}${absolute.search}` : location;
  if (!path.startsWith('/')) return location;
  return path === '/api' || path.startsWith('/api/') ? path : `/api${path}`;
}
