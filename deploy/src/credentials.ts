/**
 * `npm run k8s:credentials -w deploy`: the local overlay's Secret, with random values made on this
 * machine (deploy/k8s/overlays/local/credentials.env, mode 0600, ignored by git). The base names the
 * same keys and a real cluster supplies them (docs/security.md). An existing file is kept, so the
 * passwords a running cluster's volumes were initialised with stay valid.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serviceDatabases } from '@confeitaria/stack/components/postgres';
import { repoRoot } from '@confeitaria/stack/paths';

export const localCredentialsFile = join(repoRoot, 'deploy', 'k8s', 'overlays', 'local', 'credentials.env');

/** Every key of the Secret `confeitaria-credentials`, and whether its value is made up at random. */
export const credentialKeys: Record<string, 'random' | string> = {
  POSTGRES_SUPERUSER_PASSWORD: 'random',
  APP_PASSWORD: 'random',
  ...Object.fromEntries(serviceDatabases.map((database) => [`${database.toUpperCase()}_DB_PASSWORD`, 'random'])),
  REPLICATION_PASSWORD: 'random',
  RABBITMQ_DEFAULT_USER: 'confeitaria',
  RABBITMQ_DEFAULT_PASS: 'random',
  GF_SECURITY_ADMIN_PASSWORD: 'random',
  ADMIN_PASSWORD: 'random',
  INTERNAL_AUTH_SECRET: 'random',
  SIGNING_KEY_ENCRYPTION_KEY: 'random',
};

/**
 * Writes the local overlay's credentials, keeping every value already there and adding the keys a newer
 * version needs (a key added since the file was made would otherwise leave a workload without it).
 * Returns the file.
 */
export function ensureLocalCredentials(file = localCredentialsFile): string {
  const existing = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const present = new Set([...existing.matchAll(/^([A-Z0-9_]+)=/gm)].map((match) => match[1]));
  const missing = Object.entries(credentialKeys).filter(([key]) => !present.has(key));
  if (!missing.length) return file;
  const lines = missing.map(
    ([key, value]) => `${key}=${value === 'random' ? randomBytes(24).toString('base64url') : value}`,
  );
  const head = existing && !existing.endsWith('\n') ? `${existing}\n` : existing;
  writeFileSync(file, `${head}${lines.join('\n')}\n`, { mode: 0o600 });
  return file;
}

if (require.main === module) console.log(`credentials: ${ensureLocalCredentials()}`);
