import { callUpstream } from '@confeitaria/platform';
import type { Context } from 'koa';

/** Headers a client may send that the upstream needs; everything else stays at the edge. */
const forwarded = ['content-type', 'authorization', 'idempotency-key', 'accept'];

/**
 * Forwards the request to an upstream service and relays its answer (status, body, content type and
 * Location rewritten to the public path). The route template stays the gateway's own, so RED metrics
 * and spans are labelled by public route.
 */
export async function forward(ctx: Context, upstream: { name: string; url: string; timeoutMs: number }, path: string) {
  const headers: Record<string, string> = {};
  for (const name of forwarded) {
    const value = ctx.get(name);
    if (value) headers[name] = value;
  }
  const hasBody = ctx.method !== 'GET' && ctx.method !== 'HEAD';
  const body = (ctx.request as { body?: unknown }).body;
  const response = await callUpstream(upstream.name, {
    method: ctx.method,
    url: `${upstream.url}${path}${ctx.querystring ? `?${ctx.querystring}` : ''}`,
    headers,
    body: hasBody && body !== undefined ? JSON.stringify(body) : undefined,
    timeoutMs: upstream.timeoutMs,
  });
  ctx.status = response.status;
  if (response.location) ctx.set('Location', response.location);
  if (response.contentType) ctx.type = response.contentType;
  ctx.body = response.body;
}
