import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';
import { z } from 'zod';
import { AppError, ErrorCode } from '../errors/app-error';

export interface RequestUser {
  id: string;
  role: 'customer' | 'admin';
}

/**
 * How a service knows the gateway vouched for a caller. The gateway verifies the user's JWT, then sends
 * `x-user-id`, `x-user-role` and `x-user-assertion: <expiry>.<HMAC-SHA256 of id, role and expiry>`
 * keyed with INTERNAL_AUTH_SECRET, which only the gateway and the services hold. A process that can
 * reach a service's port but not the secret cannot be anyone (it once could: every service believed
 * `x-user-id` from any caller). The assertion lives `assertionTtlSeconds`, long enough for the slowest
 * upstream call and its retries, short enough that a copied one is soon worthless.
 */
const assertionTtlSeconds = 30;

let secret: Buffer | undefined;

/** Sets the key of this process's assertions (configure() does, from INTERNAL_AUTH_SECRET). */
export function useInternalAuthSecret(value: string): void {
  secret = Buffer.from(value, 'utf8');
}

function keyed(): Buffer {
  if (!secret) throw new Error('INTERNAL_AUTH_SECRET was never set: configure() sets it at start');
  return secret;
}

const mac = (key: Buffer, user: RequestUser, expiry: number) =>
  createHmac('sha256', key).update(`${user.id}\n${user.role}\n${expiry}`).digest('base64url');

/** The headers that carry `user` to a service, vouched for until `assertionTtlSeconds` from `now`. */
export function userHeaders(user: RequestUser, now = Date.now()): Record<string, string> {
  const expiry = Math.floor(now / 1000) + assertionTtlSeconds;
  return {
    'x-user-id': user.id,
    'x-user-role': user.role,
    'x-user-assertion': `${expiry}.${mac(keyed(), user, expiry)}`,
  };
}

const claimed = z.object({
  'x-user-id': z.uuid(),
  'x-user-role': z.enum(['customer', 'admin']),
  'x-user-assertion': z.string().regex(/^\d{1,12}\.[A-Za-z0-9_-]{43}$/),
});

/**
 * The user the gateway vouched for: 401 when the headers are absent, malformed, expired or not signed
 * with this deployment's secret (the same answer for all, so a caller learns nothing from it).
 */
export function requireUser(ctx: Context, now = Date.now()): RequestUser {
  const user = vouchedUser(ctx, now);
  if (!user) throw new AppError(401, ErrorCode.Unauthorized, 'authentication required');
  return user;
}

function vouchedUser(ctx: Context, now: number): RequestUser | undefined {
  const parsed = claimed.safeParse(ctx.headers);
  if (!parsed.success) return undefined;
  const user: RequestUser = { id: parsed.data['x-user-id'], role: parsed.data['x-user-role'] };
  const [expiryText = '', signature = ''] = parsed.data['x-user-assertion'].split('.');
  const expiry = Number(expiryText);
  if (expiry < now / 1000 || expiry > now / 1000 + assertionTtlSeconds + 5) return undefined;
  const expected = Buffer.from(mac(keyed(), user, expiry));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected) ? user : undefined;
}

/** Like requireUser, and 403 unless the user is an admin. */
export function requireAdmin(ctx: Context): RequestUser {
  const user = requireUser(ctx);
  if (user.role !== 'admin') throw new AppError(403, ErrorCode.Forbidden, 'admin role required');
  return user;
}
