/**
 * Calls straight at a service's port, as the gateway makes them: the caller vouched for with the
 * stack's INTERNAL_AUTH_SECRET (stack/src/secrets.ts). Without these headers every service answers 401.
 */
import { type RequestUser, useInternalAuthSecret, userHeaders } from '@confeitaria/platform';
import { internalAuthSecret } from '@confeitaria/stack/secrets';

let keyed = false;
/** The headers that make `user` a caller the gateway vouched for, valid for the next 30 s. */
export function vouchedFor(user: RequestUser): Record<string, string> {
  if (!keyed) useInternalAuthSecret(internalAuthSecret());
  keyed = true;
  return userHeaders(user);
}

/** The same headers signed afresh (an assertion made before a long wait has expired by its end). */
export function revouched(headers: Record<string, string> = {}): Record<string, string> {
  const id = headers['x-user-id'];
  const role = headers['x-user-role'];
  if (!id || (role !== 'customer' && role !== 'admin')) return headers;
  return { ...headers, ...vouchedFor({ id, role }) };
}
