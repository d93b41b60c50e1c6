import type { JWK } from 'jose';
import type pg from 'pg';

/** A stored key: the private half sealed (a JWE, key-encryption.ts), or plain in a row from before migration 003. */
export interface SigningKey {
  kid: string;
  publicJwk: JWK;
  privateJwe: string | null;
  plainPrivateJwk: JWK | null;
  createdAt: Date;
  retiredAt: Date | null;
}

interface SigningKeyRow {
  kid: string;
  public_jwk: JWK;
  private_jwe: string | null;
  private_jwk: JWK | null;
  created_at: Date;
  retired_at: Date | null;
}

const toKey = (row: SigningKeyRow): SigningKey => ({
  kid: row.kid,
  publicJwk: row.public_jwk,
  privateJwe: row.private_jwe,
  plainPrivateJwk: row.private_jwk,
  createdAt: row.created_at,
  retiredAt: row.retired_at,
});

/** Serialises key creation across instances for the rest of the transaction. */
export async function lockSigningKeys(client: pg.PoolClient): Promise<void> {
  await client.query("SELECT pg_advisory_xact_lock(hashtext('identity.signing_keys'))");
}

/** The active key (newest not retired) and its age in seconds by the database's clock. */
export async function findActiveKey(
  client: pg.Pool | pg.PoolClient,
): Promise<{ key: SigningKey; ageSeconds: number } | undefined> {
  const { rows } = await client.query<SigningKeyRow & { age_seconds: number }>(
    `SELECT kid, public_jwk, private_jwe, private_jwk, created_at, retired_at,
            extract(epoch FROM now() - created_at)::float8 AS age_seconds
     FROM signing_keys WHERE retired_at IS NULL ORDER BY created_at DESC LIMIT 1`,
  );
  const row = rows[0];
  return row ? { key: toKey(row), ageSeconds: row.age_seconds } : undefined;
}

/** Retires every active key and stores `key` as the new active one. */
export async function replaceActiveKey(
  client: pg.PoolClient,
  key: { kid: string; publicJwk: JWK; privateJwe: string },
): Promise<void> {
  await client.query('UPDATE signing_keys SET retired_at = now() WHERE retired_at IS NULL');
  await client.query('INSERT INTO signing_keys (kid, public_jwk, private_jwe) VALUES ($1, $2, $3)', [
    key.kid,
    JSON.stringify(key.publicJwk),
    key.privateJwe,
  ]);
}

/** Keys whose private half is still stored in the clear (written before migration 003). */
export async function listPlainKeys(client: pg.Pool | pg.PoolClient): Promise<{ kid: string; privateJwk: JWK }[]> {
  const { rows } = await client.query<{ kid: string; private_jwk: JWK }>(
    'SELECT kid, private_jwk FROM signing_keys WHERE private_jwk IS NOT NULL',
  );
  return rows.map((row) => ({ kid: row.kid, privateJwk: row.private_jwk }));
}

/** Replaces a key's plain private half by its sealed one. */
export async function sealStoredKey(client: pg.Pool | pg.PoolClient, kid: string, privateJwe: string): Promise<void> {
  await client.query('UPDATE signing_keys SET private_jwe = $2, private_jwk = NULL WHERE kid = $1', [kid, privateJwe]);
}

/** Deletes keys retired more than `graceSeconds` ago, private halves included: nothing they signed is still live. */
export async function pruneRetiredKeys(client: pg.Pool | pg.PoolClient, graceSeconds: number): Promise<void> {
  await client.query('DELETE FROM signing_keys WHERE retired_at < now() - make_interval(secs => $1)', [graceSeconds]);
}

/** The public keys that may still verify a live token: the active ones and those retired less than `graceSeconds` ago. */
export async function listPublicKeys(pool: pg.Pool, graceSeconds: number): Promise<JWK[]> {
  const { rows } = await pool.query<{ public_jwk: JWK }>(
    `SELECT public_jwk FROM signing_keys
     WHERE retired_at IS NULL OR retired_at >= now() - make_interval(secs => $1)
     ORDER BY created_at DESC`,
    [graceSeconds],
  );
  return rows.map((row) => row.public_jwk);
}
