import { argon2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

/**
 * Password hashing with Argon2id (memory-hard, RFC 9106) from Node's own crypto (Node >= 24.7), at the
 * OWASP Password Storage Cheat Sheet's minimum: 19 MiB of memory, 2 passes, 1 lane. The async form
 * runs on libuv's thread pool, so hashing never blocks the event loop.
 *
 * Hashes are stored as PHC strings (`$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`, unpadded
 * base64) that carry their own parameters: raising them later still verifies old hashes, and
 * `needsRehash` tells the login flow to upgrade a hash once the password is known again.
 */
const argon2Async = promisify(argon2);

export interface Argon2Params {
  memory: number;
  passes: number;
  parallelism: number;
}

export const currentParams: Argon2Params = { memory: 19_456, passes: 2, parallelism: 1 };
const saltBytes = 16;
const tagLength = 32;
const version = 19;
const phcPattern = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

function derive(password: string, salt: Buffer, params: Argon2Params, length: number): Promise<Buffer> {
  return argon2Async('argon2id', { message: password, nonce: salt, tagLength: length, ...params });
}

const b64 = (bytes: Buffer) => bytes.toString('base64').replace(/=+$/, '');

/** A fresh PHC string for `password` with a random 16-byte salt and the current parameters. */
export async function hashPassword(password: string, params: Argon2Params = currentParams): Promise<string> {
  const salt = randomBytes(saltBytes);
  const hash = await derive(password, salt, params, tagLength);
  return `$argon2id$v=${version}$m=${params.memory},t=${params.passes},p=${params.parallelism}$${b64(salt)}$${b64(hash)}`;
}

function parse(phc: string): { params: Argon2Params; salt: Buffer; hash: Buffer } | undefined {
  const match = phcPattern.exec(phc);
  if (!match) return undefined;
  const [, m, t, p, salt, hash] = match;
  return {
    params: { memory: Number(m), passes: Number(t), parallelism: Number(p) },
    salt: Buffer.from(salt as string, 'base64'),
    hash: Buffer.from(hash as string, 'base64'),
  };
}

/** True when `password` matches the stored PHC string; compared in constant time. */
export async function verifyPassword(password: string, phc: string): Promise<boolean> {
  const stored = parse(phc);
  if (!stored || stored.hash.length < 16 || stored.salt.length < 8) return false;
  const candidate = await derive(password, stored.salt, stored.params, stored.hash.length);
  return candidate.length === stored.hash.length && timingSafeEqual(candidate, stored.hash);
}

/** True when a stored hash was made with other parameters than today's. */
export function needsRehash(phc: string): boolean {
  const stored = parse(phc);
  if (!stored) return true;
  const { memory, passes, parallelism } = stored.params;
  return (
    memory !== currentParams.memory || passes !== currentParams.passes || parallelism !== currentParams.parallelism
  );
}
