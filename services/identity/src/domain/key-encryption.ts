/**
 * The private signing keys at rest: a compact JWE (jose, `dir` + A256GCM) under a 256-bit key derived
 * with HKDF-SHA256 from SIGNING_KEY_ENCRYPTION_KEY. The database holds ciphertext only, so a dump, a
 * read replica or another service's credentials do not carry the power to mint tokens; the key to open
 * them comes from the environment (a Kubernetes Secret, the stack's per-machine secret).
 */
import { hkdfSync } from 'node:crypto';
import { CompactEncrypt, compactDecrypt, type JWK } from 'jose';

export class KeyEncryption {
  private readonly key: Uint8Array;

  constructor(secret: string) {
    this.key = new Uint8Array(
      hkdfSync('sha256', secret, 'confeitaria-identity', 'signing-key-encryption/v1', 32) as ArrayBuffer,
    );
  }

  async seal(privateJwk: JWK): Promise<string> {
    return new CompactEncrypt(new TextEncoder().encode(JSON.stringify(privateJwk)))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: privateJwk.kid })
      .encrypt(this.key);
  }

  /** Throws when the JWE was sealed under another key (or tampered with). */
  async open(jwe: string): Promise<JWK> {
    const { plaintext } = await compactDecrypt(jwe, this.key);
    return JSON.parse(new TextDecoder().decode(plaintext)) as JWK;
  }
}
