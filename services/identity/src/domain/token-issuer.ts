import { SignJWT } from 'jose';
import type { User } from '../data/user-repository';
import { algorithm, type SigningKeyStore } from './signing-key-store';

export interface TokenSettings {
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

export interface AccessToken {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

/**
 * Issues an access token the gateway verifies against our JWKS: `sub` is the user id, `role` drives
 * authorisation, `kid` in the header picks the key, so tokens signed before a rotation still verify.
 */
export async function issueAccessToken(
  keys: SigningKeyStore,
  settings: TokenSettings,
  user: Pick<User, 'id' | 'email' | 'role'>,
): Promise<AccessToken> {
  const { kid, key } = keys.signingKey();
  const accessToken = await new SignJWT({ role: user.role, email: user.email })
    .setProtectedHeader({ alg: algorithm, kid, typ: 'JWT' })
    .setSubject(user.id)
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setIssuedAt()
    .setExpirationTime(`${settings.ttlSeconds}s`)
    .sign(key);
  return { accessToken, tokenType: 'Bearer', expiresIn: settings.ttlSeconds };
}
