/**
 * Secrets of the local stack, made on this machine the first time they are needed and kept in the
 * state directory (mode 0600), never in the repository: a documented default would let any local
 * process sign as the gateway.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stateDir } from './paths';

const secretsDir = join(stateDir, 'secrets');

function secret(name: string): string {
  const file = join(secretsDir, name);
  if (!existsSync(file)) {
    mkdirSync(secretsDir, { recursive: true, mode: 0o700 });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
  }
  return readFileSync(file, 'utf8').trim();
}

/** The key identity seals its private signing keys with at rest (SIGNING_KEY_ENCRYPTION_KEY). */
export const signingKeyEncryptionKey = (): string =>
  process.env.SIGNING_KEY_ENCRYPTION_KEY ?? secret('signing-key-encryption-key');

/** The key the gateway signs the callers it vouches for with (INTERNAL_AUTH_SECRET of every service). */
export const internalAuthSecret = (): string => process.env.INTERNAL_AUTH_SECRET ?? secret('internal-auth-secret');
