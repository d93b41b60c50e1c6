import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { json, type StandIn, startStandIn } from './stand-in-server';

export const issuer = 'confeitaria-identity';
export const audience = 'confeitaria-api';

type Key = Awaited<ReturnType<typeof generateKeyPair>> & { kid: string };

async function newKey(): Promise<Key> {
  return { ...(await generateKeyPair('ES256', { extractable: true })), kid: randomUUID() };
}

export interface TokenOptions {
  sub?: string;
  role?: string;
  issuer?: string;
  audience?: string;
  expiresIn?: string | number;
  /** Sign with a key identity does not publish (a forgery). */
  key?: Key;
}

/** Identity as the gateway sees it: a JWKS endpoint, plus a token factory signing with its key. */
export interface IdentityStandIn extends StandIn {
  sign(options?: TokenOptions): Promise<string>;
  /** Publishes a fresh key (next to the old one) and signs with it from now on. */
  rotate(): Promise<void>;
  /** A key pair identity never published. */
  strangerKey(): Promise<Key>;
}

export async function startIdentity(): Promise<IdentityStandIn> {
  const keys = [await newKey()];
  const current = () => keys.at(-1) as Key;
  const server = await startStandIn(async (request, response) => {
    if (request.url === '/.well-known/jwks.json') {
      const published = await Promise.all(
        keys.map(async (key) => ({ ...(await exportJWK(key.publicKey)), kid: key.kid, alg: 'ES256', use: 'sig' })),
      );
      return json(response, 200, { keys: published });
    }
    json(response, 200, { service: 'identity', method: request.method, url: request.url });
  });
  return Object.assign(server, {
    async sign(options: TokenOptions = {}) {
      const key = options.key ?? current();
      const claims: JWTPayload = { role: options.role ?? 'customer' };
      return new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JWT' })
        .setSubject(options.sub ?? randomUUID())
        .setIssuer(options.issuer ?? issuer)
        .setAudience(options.audience ?? audience)
        .setIssuedAt()
        .setExpirationTime(options.expiresIn ?? '15m')
        .sign(key.privateKey);
    },
    async rotate() {
      keys.push(await newKey());
    },
    strangerKey: newKey,
  });
}

/** A token with `alg: none` and no signature, claiming whatever it likes. */
export function unsignedToken(payload: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(payload)}.`;
}
