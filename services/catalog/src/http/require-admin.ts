import { AppError, ErrorCode } from '@confeitaria/platform';
import type { Middleware } from 'koa';

/**
 * The gateway only lets admins reach the write routes and passes the verified role as `x-user-role`;
 * checking it here too means a caller that bypasses the gateway cannot change the catalogue.
 */
export const requireAdmin: Middleware = async (ctx, next) => {
  if (ctx.get('x-user-role') !== 'admin') {
    throw new AppError(403, ErrorCode.Forbidden, 'this route needs the admin role');
  }
  await next();
};
