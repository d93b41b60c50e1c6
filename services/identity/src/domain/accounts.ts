import { randomUUID } from 'node:crypto';
import { AppError, ErrorCode } from '@confeitaria/platform';
import { trace } from '@opentelemetry/api';
import type pg from 'pg';
import type { Logger } from 'pino';
import { findUserByEmail, insertUser, isEmailTaken, updatePasswordHash, upsertAdmin } from '../data/user-repository';
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
  const passwordHash = await hashPassword(input.password);
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
 * the response time tells an attacker which addresses have accounts.
 */
export async function logIn(deps: AccountsDeps, input: { email: string; password: string }): Promise<AccessToken> {
  const user = await findUserByEmail(deps.pool, input.email);
  const matches = await verifyPassword(input.password, user?.passwordHash ?? deps.dummyHash);
  if (!user || !matches) {
    loginsTotal.inc({ outcome: 'failure' });
    if (user) trace.getActiveSpan()?.setAttribute('enduser.id', user.id);
    throw invalidCredentials();
  }
  trace.getActiveSpan()?.setAttribute('enduser.id', user.id);
  if (needsRehash(user.passwordHash)) {
    // The parameters were raised since this hash was made: upgrade it now that the password is known.
    await updatePasswordHash(deps.pool, user.id, await hashPassword(input.password)).catch((error) =>
      deps.logger.warn({ err: error, userId: user.id }, 'password rehash failed'),
    );
  }
  loginsTotal.inc({ outcome: 'success' });
  return issueAccessToken(deps.keys, deps.tokens, user);
}

/** Ensures the configured admin account exists with role admin; an existing password is kept. */
export async function seedAdmin(pool: pg.Pool, admin: { email: string; password: string }): Promise<void> {
  await upsertAdmin(pool, {
    id: randomUUID(),
    email: admin.email,
    name: 'Administrator',
    passwordHash: await hashPassword(admin.password),
  });
}
