import { randomUUID } from 'node:crypto';
import { type AdmissionGate, AppError, ErrorCode, shedRequest } from '@confeitaria/platform';
import { trace } from '@opentelemetry/api';
import type pg from 'pg';
import type { Logger } from 'pino';
import {
  clearLoginFailures,
  type LoginThrottleSettings,
  lockedForSeconds,
  recordLoginFailure,
} from '../data/login-failure-repository';
import {
  findUserByEmail,
  insertAdminIfFree,
  insertUser,
  isEmailTaken,
  updatePasswordHash,
} from '../data/user-repository';
import { loginsTotal, registrationsTotal } from './identity-metrics';
import { hashPassword, needsRehash, verifyPassword } from './password-hasher';
import type { SigningKeyStore } from './signing-key-store';
import { type AccessToken, issueAccessToken, type TokenSettings } from './token-issuer';

export interface AccountsDeps {
  pool: pg.Pool;
  keys: SigningKeyStore;
  tokens: TokenSettings;
  logger: Logger;
  /** A hash of a random password, verified against when the e-mail is unknown (see `logIn`). */
  dummyHash: string;
  /** Every password hash and verification runs through it: bounded concurrency, short queue, fast 503. */
  hashing: AdmissionGate;
  loginThrottle: LoginThrottleSettings;
}

export interface UserView {
  id: string;
  email: string;
  name: string;
}

/**
 * Creates a customer account. Uniqueness is the database's job (a unique index on `lower(email)`):
 * checking first and inserting after would let two concurrent registrations both pass the check.
 */
export async function register(
  deps: AccountsDeps,
  input: { email: string; password: string; name: string },
): Promise<UserView> {
  const id = randomUUID();
  const passwordHash = await deps.hashing.run(() => hashPassword(input.password));
  try {
    const user = await insertUser(deps.pool, {
      id,
      email: input.email,
      name: input.name,
      passwordHash,
      role: 'customer',
    });
    trace.getActiveSpan()?.setAttribute('enduser.id', user.id);
    registrationsTotal.inc();
    return { id: user.id, email: user.email, name: user.name };
  } catch (error) {
    if (isEmailTaken(error)) throw new AppError(409, ErrorCode.Conflict, 'email already registered');
    throw error;
  }
}

const invalidCredentials = () => new AppError(401, ErrorCode.Unauthorized, 'invalid email or password');

/**
 * Exchanges credentials for an access token. An unknown e-mail still costs one Argon2 verification
 * (against a dummy hash) and gets the same answer as a wrong password, so neither the message nor
 * the response time tells an attacker which addresses have accounts. An address with too many recent
 * failures is refused (429) before any hashing, known or not, the same way.
 */
export async function logIn(deps: AccountsDeps, input: { email: string; password: string }): Promise<AccessToken> {
  const locked = await lockedForSeconds(deps.pool, input.email);
  if (locked > 0) throw lockedOut(locked);
  const user = await findUserByEmail(deps.pool, input.email);
  const matches = await deps.hashing.run(() => verifyPassword(input.password, user?.passwordHash ?? deps.dummyHash));
  if (!user || !matches) {
    loginsTotal.inc({ outcome: 'failure' });
    if (user) trace.getActiveSpan()?.setAttribute('enduser.id', user.id);
    await recordLoginFailure(deps.pool, input.email, deps.loginThrottle);
    throw invalidCredentials();
  }
  trace.getActiveSpan()?.setAttribute('enduser.id', user.id);
  await clearLoginFailures(deps.pool, input.email);
  if (needsRehash(user.passwordHash)) {
    // The parameters were raised since this hash was made: upgrade it now that the password is known.
    await deps.hashing
      .run(() => hashPassword(input.password))
      .then((hash) => updatePasswordHash(deps.pool, user.id, hash))
      .catch((error) => deps.logger.warn({ err: error, userId: user.id }, 'password rehash failed'));
  }
  loginsTotal.inc({ outcome: 'success' });
  return issueAccessToken(deps.keys, deps.tokens, user);
}

function lockedOut(seconds: number) {
  return shedRequest(
    'login_throttled',
    429,
    `too many failed logins for this account: try again in ${Math.ceil(seconds)} s`,
    seconds,
  );
}

/**
 * Seeds the configured admin into a free address, at start, before identity answers anyone. An account
 * already at that address is left as it is: a customer who registered it is never promoted (registration
 * is public, so ADMIN_EMAIL naming a taken address would have handed out the admin role), and an admin
 * whose stored password differs from ADMIN_PASSWORD keeps it (it was changed on purpose, or the
 * configuration is stale); both are logged, so an operator sees why the configured login fails.
 */
export async function seedAdmin(
  pool: pg.Pool,
  admin: { email: string; password: string },
  logger: Logger,
): Promise<'created' | 'kept' | 'password-differs' | 'address-taken'> {
  const existing = await findUserByEmail(pool, admin.email);
  if (!existing) {
    await insertAdminIfFree(pool, {
      id: randomUUID(),
      email: admin.email,
      name: 'Administrator',
      passwordHash: await hashPassword(admin.password),
    });
    const seeded = await findUserByEmail(pool, admin.email);
    if (seeded?.role === 'admin') return 'created';
    logger.error({ email: admin.email }, 'ADMIN_EMAIL was registered by a customer meanwhile; no admin was seeded');
    return 'address-taken';
  }
  if (existing.role !== 'admin') {
    logger.error(
      { email: admin.email },
      'ADMIN_EMAIL names a customer account: it is not promoted and no admin was seeded; choose an address nobody registered',
    );
    return 'address-taken';
  }
  if (!(await verifyPassword(admin.password, existing.passwordHash))) {
    logger.warn(
      { email: admin.email },
      'the stored admin password is not ADMIN_PASSWORD: the stored one stays in force',
    );
    return 'password-differs';
  }
  return 'kept';
}
