import { api, createRouter, requestBody, validate } from '@confeitaria/platform';
import type Router from '@koa/router';
import { type AccountsDeps, logIn, register } from '../domain/accounts';

/** Internal routes; the gateway maps `/api/auth/*` onto `/auth/*` and fetches the JWKS from here. */
export function authRoutes(deps: AccountsDeps): Router {
  const router = createRouter();

  router.post('/auth/register', async (ctx) => {
    const body = validate(api.registerBody, requestBody(ctx));
    ctx.status = 201;
    ctx.body = api.userView.parse(await register(deps, body));
  });

  router.post('/auth/login', async (ctx) => {
    const body = validate(api.loginBody, requestBody(ctx));
    ctx.body = api.tokenView.parse(await logIn(deps, body));
  });

  router.get('/.well-known/jwks.json', async (ctx) => {
    ctx.body = await deps.keys.jwks();
    // Short enough that a rotation is seen quickly; verifiers refetch anyway on an unknown `kid`.
    ctx.set('Cache-Control', 'public, max-age=300');
  });

  return router;
}
