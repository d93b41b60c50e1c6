/**
 * `npm run k8s:credentials -w deploy`: the local overlay's Secret, with random values made on this
 * machine (deploy/k8s/overlays/local/credentials.env, mode 0600, ignored by git). The base names the
 * same keys and a real cluster supplies them (docs/security.md). An existing file is kept, so the
 * passwords a running cluster's volumes were initialised with stay valid.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@confeitaria/stack/dist/src/paths';

export const localCredentialsFile = join(repoRoot, 'deploy', 'k8s', 'overlays', 'local', 'credentials.env');

/** Every key of the Secret `confeitaria-credentials`, and whether its value is made up at random. */
export const credentialKeys: Record<string, 'random' | string> = {
  POSTGRES_SUPERUSER_PASSWORD: 'random',
  APP_PASSWORD: 'random',
  REPLICATION_PASSWORD: 'random',
  RABBITMQ_DEFAULT_USER: 'confeitaria',
  RABBITMQ_DEFAULT_PASS: 'random',
  GF_SECURITY_ADMIN_PASSWORD: 'random',
  ADMIN_PASSWORD: 'random',
  INTERNAL_AUTH_SECRET: 'random',
};

/** Writes the local overlay's credentials unless they exist; returns the file. */
export function ensureLocalCredentials(file = localCredentialsFile): string {
  if (existsSync(file)) return file;
  const lines = Object.entries(credentialKeys).map(
    ([key, value]) => `${key}=${value === 'random' ? randomBytes(24).toString('base64url') : value}`,
  );
  writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o600 });
  return file;
}

if (require.main === module) console.log(`credentials: ${ensureLocalCredentials()}`);
