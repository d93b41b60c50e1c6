/**
 * The JWT signing keys (ES256): one active key signs new tokens; retired keys stay published in the
 * JWKS until every token they could have signed has expired, so a rotation never logs anyone out.
 *
 * Where the private keys live: here they are rows in the identity database (`signing_keys`), so
 * every instance and every restart signs with the same key and the gateway's cached JWKS stays
 * valid, with no extra infrastructure for a local or teaching stack. The private halves are stored
 * sealed (key-encryption.ts, a key from SIGNING_KEY_ENCRYPTION_KEY in the environment): a dump or a
 * stolen database credential alone does not let anyone mint tokens. In production the private key
 * would live in a KMS or secret store (AWS KMS, GCP KMS, Vault transit) that signs on our behalf and
 * never releases the key: a database dump or a read replica would then not leak the power to mint
 * admin tokens. Only this module would change; the JWKS contract stays the same.
 */
import { isDatabaseUnavailable, withTransaction } from '@confeitaria/platform';
import { type CryptoKey, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import type pg from 'pg';
import type { Logger } from 'pino';
import {
  findActiveKey,
  listPlainKeys,
  listPublicKeys,
  lockSigningKeys,
  pruneRetiredKeys,
  replaceActiveKey,
  type SigningKey,
  sealStoredKey,
} from '../data/signing-key-repository';
import type { KeyEncryption } from './key-encryption';

export const algorithm = 'ES256';

export interface SigningKeyStoreOptions {
  /** Age after which the active key is replaced. */
  rotationSeconds: number;
  /** Lifetime of the tokens signed, so retired keys are kept at least that long. */
  tokenTtlSeconds: number;
  /** How often the keys are re-read (and rotated when due). */
  refreshSeconds: number;
  /** Seals the private halves at rest. */
  encryption: KeyEncryption;
}

async function newKey(encryption: KeyEncryption): Promise<{ kid: string; publicJwk: JWK; privateJwe: string }> {
  const { publicKey, privateKey } = await generateKeyPair(algorithm, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return {
    kid,
    publicJwk: { ...publicJwk, kid, alg: algorithm, use: 'sig' },
    privateJwe: await encryption.seal({ ...(await exportJWK(privateKey)), kid, alg: algorithm }),
  };
}

export class SigningKeyStore {
  private active: { kid: string; key: CryptoKey } | undefined;
  private published: JWK[] = [];
  private timer: NodeJS.Timeout | undefined;
  /**
   * An instance may keep signing with a key for up to one refresh interval after another instance
   * retired it, so a retired key stays published for a token lifetime plus that, plus clock skew.
   */
  private readonly graceSeconds: number;

  constructor(
    private readonly pool: pg.Pool,
    private readonly logger: Logger,
    private readonly options: SigningKeyStoreOptions,
  ) {
    this.graceSeconds = options.tokenTtlSeconds + 2 * options.refreshSeconds + 60;
  }

  /** Loads (creating or rotating when due) the keys, then keeps them fresh in the background. */
  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => {
      this.refresh().catch((error: Error) => {
        // A database outage is logged once by the pool; anything else is worth a line each time.
        if (!isDatabaseUnavailable(error)) this.logger.warn({ err: error }, 'signing key refresh failed');
      });
    }, this.options.refreshSeconds * 1000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /**
   * Ensures an active key younger than the rotation age exists, that this instance can open, and
   * reloads the published set. Keys stored in the clear (before migration 003) are sealed first.
   */
  async refresh(): Promise<void> {
    for (const plain of await listPlainKeys(this.pool)) {
      await sealStoredKey(this.pool, plain.kid, await this.options.encryption.seal(plain.privateJwk));
      this.logger.info({ kid: plain.kid }, 'signing key sealed at rest');
    }
    let current = await findActiveKey(this.pool);
    const usable = (found: typeof current) =>
      found !== undefined && found.ageSeconds < this.options.rotationSeconds && this.opens(found.key);
    if (!(await usable(current))) {
      current = await withTransaction(this.pool, async (client) => {
        await lockSigningKeys(client);
        // Another instance may have rotated while we waited for the lock.
        const fresh = await findActiveKey(client);
        if (await usable(fresh)) return fresh;
        if (fresh && fresh.ageSeconds < this.options.rotationSeconds) {
          this.logger.error(
            { kid: fresh.key.kid },
            'the active signing key cannot be opened with SIGNING_KEY_ENCRYPTION_KEY (was it changed?): a new key replaces it',
          );
        }
        const key = await newKey(this.options.encryption);
        await replaceActiveKey(client, key);
        await pruneRetiredKeys(client, this.graceSeconds);
        this.logger.info({ kid: key.kid, retired: fresh?.key.kid }, 'signing key created');
        return findActiveKey(client);
      });
    }
    if (!current) throw new Error('no active signing key after rotation');
    if (current.key.kid !== this.active?.kid) {
      const privateJwk = await this.open(current.key);
      this.active = { kid: current.key.kid, key: (await importJWK(privateJwk, algorithm)) as CryptoKey };
    }
    this.published = await listPublicKeys(this.pool, this.graceSeconds);
  }

  private async open(key: SigningKey): Promise<JWK> {
    if (key.privateJwe) return this.options.encryption.open(key.privateJwe);
    if (key.plainPrivateJwk) return key.plainPrivateJwk;
    throw new Error(`signing key ${key.kid} has no private half`);
  }

  /**
   * Whether this instance can open the key. One it cannot (sealed under another
   * SIGNING_KEY_ENCRYPTION_KEY: the secret was changed) is replaced by a new key, said once in
   * refresh(); tokens it signed still verify, since its public half stays published until they expire.
   */
  private async opens(key: SigningKey): Promise<boolean> {
    return this.open(key).then(
      () => true,
      () => false,
    );
  }

  /** The key new tokens are signed with. */
  signingKey(): { kid: string; key: CryptoKey } {
    if (!this.active) throw new Error('signing keys not loaded: call start() first');
    return this.active;
  }

  /**
   * The JWKS, read from the database so a rotation by another instance shows at once; while the
   * database is unreachable the last known set is served, so verifiers keep working (the outage is
   * logged once, by the pool).
   */
  async jwks(): Promise<{ keys: JWK[] }> {
    try {
      this.published = await listPublicKeys(this.pool, this.graceSeconds);
    } catch {
      // keep serving the last known set
    }
    return { keys: this.published };
  }
}
