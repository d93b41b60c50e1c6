import type { Context } from 'koa';
import { z } from 'zod';
import { AppError, ErrorCode } from '../errors/app-error';

export interface RequestUser {
  id: string;
  role: 'customer' | 'admin';
}

const userHeaders = z.object({
  'x-user-id': z.uuid(),
  'x-user-role': z.enum(['customer', 'admin']).default('customer'),
});

/**
 * The user the gateway authenticated, from the `x-user-id` / `x-user-role` headers it sets (and
 * strips from clients). Internal services check them again as defence in depth: 401 when absent.
 */
export function requireUser(ctx: Context): RequestUser {
  const parsed = userHeaders.safeParse(ctx.headers);
  if (!parsed.success) throw new AppError(401, ErrorCode.Unauthorized, 'authentication required');
  return { id: parsed.data['x-user-id'], role: parsed.data['x-user-role'] };
}

/** Like requireUser, and 403 unless the user is an admin. */
export function requireAdmin(ctx: Context): RequestUser {
  const user = requireUser(ctx);
  if (user.role !== 'admin') throw new AppError(403, ErrorCode.Forbidden, 'admin role required');
  return user;
}
