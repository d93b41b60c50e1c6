import Router from '@koa/router';

/**
 * Every service's router. Routes and the path-less middleware mounted with `router.use()` must match
 * the same paths: @koa/router matches routes case-insensitively by default while its prefix check is
 * case-sensitive, so `/API/cart` once reached the cart route without the gateway's caller
 * identification and rate limit in front of it (a 500, and logins nobody throttled). Paths are matched
 * case-sensitively, as the API documents them: `/API/...` is a 404 like any other unknown path.
 */
export function createRouter<State = Record<string, unknown>>(options: { prefix?: string } = {}): Router<State> {
  return new Router<State>({ ...options, sensitive: true });
}
