import { createLocalJWKSet, createRemoteJWKSet, errors, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';

/** Who a valid token says the caller is. */
export interface Caller {
  id: string;
  role: 'customer' | 'admin';
}

/** The token could not be checked because identity's key set could not be fetched (→ 503). */
export class KeysUnavailableError extends Error {
  constructor(cause: unknown) {
    super('identity is unavailable: the token cannot be verified', { cause });
    this.name = 'KeysUnavailableError';
  }
}

/** The token is not acceptable: malformed, forged, expired, wrong algorithm, issuer or audience (→ 401). */
export class InvalidTokenError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'InvalidTokenError';
  }
}

export interface VerifierOptions {
  identityUrl: string;
  issuer: string;
  audience: string;
  timeoutMs: number;
  /** Least time between two fetches of the key set caused by unknown key ids. */
  cooldownMs: number;
  /** Verified tokens remembered: how many, and for how long at most (never past their `exp`). */
  cache: { max: number; ttlMs: number };
}

const claims = z.object({
  sub: z.string().min(1).max(200),
  role: z.enum(['customer', 'admin']).default('customer'),
});

/** Failures of jose's key lookup that are about the token, not about reaching identity. */
const tokenKeyErrors = new Set([
  'ERR_JWKS_NO_MATCHING_KEY',
  'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
  'ERR_JOSE_NOT_SUPPORTED',
]);

/**
 * Verifies access tokens against identity's published key set. jose caches the set and fetches it
 * again when a token names an unknown `kid` (at most once per cooldown), so rotated keys are honoured
 * and made-up `kid`s cannot hammer identity. Only ES256 is accepted: `none`, HS256 with the public key
 * as secret and the like are refused before any key is looked up.
 *
 * When identity cannot be reached and the cached set has gone stale, the last set fetched still
 * verifies tokens it has the key for: an identity outage then only affects tokens signed with keys
 * the gateway has never seen (those are 503, since they cannot be told apart from forgeries).
 *
 * A token that verified is remembered, by its exact text, until its expiry or `cache.ttlMs`, whichever
 * comes first (least recently used dropped past `cache.max`): only a token signed by a key of identity
 * can get in, and a key withdrawn from the set is honoured at most `cache.ttlMs` longer than jose's
 * cached key set honours it anyway (re-read every 10 minutes). Refusals are never remembered.
 */
export function createTokenVerifier(options: VerifierOptions): (token: string) => Promise<Caller> {
  const remote = createRemoteJWKSet(new URL(`${options.identityUrl}/.well-known/jwks.json`), {
    timeoutDuration: options.timeoutMs,
    cooldownDuration: options.cooldownMs,
  });
  const keyFor: JWTVerifyGetKey = async (header, token) => {
    try {
      return await remote(header, token);
    } catch (error) {
      if (error instanceof errors.JOSEError && tokenKeyErrors.has(error.code)) throw error;
      const lastKnown = remote.jwks();
      if (!lastKnown) throw new KeysUnavailableError(error);
      try {
        return await createLocalJWKSet(lastKnown)(header, token);
      } catch {
        throw new KeysUnavailableError(error);
      }
    }
  };

  const verified = options.cache.max > 0 ? new LRUCache<string, Caller>({ max: options.cache.max }) : undefined;

  return async (token) => {
    const known = verified?.get(token);
    if (known) return known;
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, keyFor, {
        algorithms: ['ES256'],
        issuer: options.issuer,
        audience: options.audience,
        requiredClaims: ['sub', 'exp'],
        clockTolerance: 5,
      }));
    } catch (error) {
      if (error instanceof KeysUnavailableError) throw error;
      throw new InvalidTokenError(describe(error));
    }
    const parsed = claims.safeParse(payload);
    if (!parsed.success) throw new InvalidTokenError('the token does not name a user and a known role');
    const caller: Caller = { id: parsed.data.sub, role: parsed.data.role };
    const untilExpiry = Number((payload as { exp: number }).exp) * 1000 - Date.now();
    const ttl = Math.min(options.cache.ttlMs, untilExpiry);
    if (verified && ttl >= 1) verified.set(token, caller, { ttl: Math.floor(ttl) });
    return caller;
  };
}

/** A short reason for logs and the problem detail; never echoes the token. */
function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `the token's ${error.claim} claim is not accepted`;
  if (error instanceof errors.JOSEAlgNotAllowed) return "the token's algorithm is not accepted";
  if (error instanceof errors.JWSSignatureVerificationFailed) return "the token's signature is invalid";
  if (error instanceof errors.JWKSNoMatchingKey) return 'the token was not signed by a known key';
  return 'the token is malformed or invalid';
}
