import { AppError, ErrorCode } from '@confeitaria/platform';
import type { Context, Middleware, Next } from 'koa';
import { type Caller, InvalidTokenError, KeysUnavailableError } from '../auth/token-verifier';

/** Who may call an operation. */
export type Access = 'public' | 'user' | 'admin';

/** What the gateway learnt about the caller; set on `ctx.state.auth` by `identifyCaller`. */
export type CallerState =
  | { kind: 'anonymous' }
  | { kind: 'user'; caller: Caller }
  | { kind: 'rejected'; error: AppError };

const bearer = /^Bearer +([^\s]+) *$/i;
const challenge = 'Bearer realm="confeitaria"';

/**
 * First on every /api route: strips the identity headers a client may have sent (only the gateway
 * sets them), then verifies the bearer token when there is one. A bad token is not refused here but
 * remembered, so the rate limiter (next) still has a client to count, and public routes simply treat
 * the caller as anonymous; `requireAccess` refuses it where it matters.
 */
export function identifyCaller(verify: (token: string) => Promise<Caller>): Middleware {
  return async (ctx, next) => {
    for (const name of Object.keys(ctx.req.headers)) {
      if (name.startsWith('x-user-')) delete ctx.req.headers[name];
    }
    ctx.state.auth = await callerOf(ctx, verify);
    await next();
  };
}

async function callerOf(ctx: Context, verify: (token: string) => Promise<Caller>): Promise<CallerState> {
  const header = ctx.get('authorization');
  if (!header) return { kind: 'anonymous' };
  const token = bearer.exec(header)?.[1];
  if (!token) return { kind: 'rejected', error: unauthorized('the Authorization header is not "Bearer <token>"') };
  try {
    return { kind: 'user', caller: await verify(token) };
  } catch (error) {
    if (error instanceof KeysUnavailableError) {
      return { kind: 'rejected', error: new AppError(503, ErrorCode.UpstreamUnavailable, error.message) };
    }
    const reason = error instanceof InvalidTokenError ? error.message : 'the token is invalid';
    return { kind: 'rejected', error: unauthorized(reason) };
  }
}

/** Refuses the request unless the caller may use an operation with this access: 401, 403 or 503. */
export function requireAccess(access: Access): Middleware {
  return async (ctx: Context, next: Next) => {
    if (access !== 'public') {
      // Fail closed: a request that reached here without identifyCaller in front (a path its mount did
      // not match) is anonymous, never an error or a pass.
      const auth = (ctx.state.auth as CallerState | undefined) ?? { kind: 'anonymous' };
      if (auth.kind === 'rejected') {
        throw auth.error;
      }
      if (auth.kind === 'anonymous') {
        throw new AppError(
          401,
          ErrorCode.Unauthorized,
          'authentication required: send "Authorization: Bearer <token>"',
          undefined,
          { headers: { 'WWW-Authenticate': challenge } },
        );
      }
      if (access === 'admin' && auth.caller.role !== 'admin') {
        throw new AppError(403, ErrorCode.Forbidden, 'this operation needs the admin role');
      }
    }
    await next();
  };
}

/** The authenticated caller, if any (for forwarding and for the rate limiter's key). */
export function callerFrom(ctx: Context): Caller | undefined {
  const auth = ctx.state.auth as CallerState | undefined;
  return auth?.kind === 'user' ? auth.caller : undefined;
}

function unauthorized(reason: string): AppError {
  return new AppError(401, ErrorCode.Unauthorized, reason, undefined, {
    headers: { 'WWW-Authenticate': `${challenge}, error="invalid_token"` },
  });
}
