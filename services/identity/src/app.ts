import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import {
  AdmissionGate,
  configure,
  createHttpService,
  declareShedReasons,
  openDatabase,
  type RunningService,
} from '@confeitaria/platform';
import { type Config, configSchema } from './config';
import { pruneLoginFailures } from './data/login-failure-repository';
import { seedAdmin } from './domain/accounts';
import { KeyEncryption } from './domain/key-encryption';
import { hashPassword } from './domain/password-hasher';
import { SigningKeyStore } from './domain/signing-key-store';
import { authRoutes } from './http/auth-routes';

export const service = 'identity';
const migrations = join(__dirname, '..', '..', 'migrations');

/** Wires the identity service: database, signing keys, the seeded admin and HTTP routes. */
export async function start(overrides: Partial<Config> = {}): Promise<RunningService> {
  const { config, logger } = configure(service, configSchema, overrides);

  const pool = await openDatabase({ connectionString: config.DATABASE_URL, logger, migrations });
  const keys = new SigningKeyStore(pool, logger, {
    rotationSeconds: config.KEY_ROTATION_DAYS * 86_400,
    tokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    refreshSeconds: config.KEY_REFRESH_SECONDS,
    encryption: new KeyEncryption(config.SIGNING_KEY_ENCRYPTION_KEY),
  });
  try {
    await keys.start();
    await seedAdmin(pool, { email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD }, logger);
  } catch (error) {
    keys.stop();
    await pool.end();
    throw error;
  }

  declareShedReasons('hashing_busy', 'login_throttled');
  const hashing = new AdmissionGate({
    name: 'password-hashing',
    concurrency: config.HASH_CONCURRENCY,
    queueLimit: config.HASH_QUEUE_LIMIT,
    maxWaitMs: config.HASH_MAX_WAIT_MS,
    maxRunMs: config.HASH_MAX_RUN_MS,
    reason: 'hashing_busy',
  });
  const loginThrottle = {
    maxFailures: config.LOGIN_MAX_FAILURES,
    windowSeconds: config.LOGIN_FAILURE_WINDOW_S,
    lockoutSeconds: config.LOGIN_LOCKOUT_S,
  };
  // Old failure windows are dropped once a minute; a failed prune (database away) waits for the next.
  const prune = setInterval(() => {
    pruneLoginFailures(pool, loginThrottle).catch((error) =>
      logger.debug({ err: error }, 'login failure prune failed'),
    );
  }, 60_000).unref();

  const http = createHttpService({
    service,
    logger,
    router: authRoutes({
      pool,
      keys,
      logger,
      tokens: {
        issuer: config.JWT_ISSUER,
        audience: config.JWT_AUDIENCE,
        ttlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
      },
      dummyHash: await hashPassword(randomUUID()),
      hashing,
      loginThrottle,
    }),
    readiness: { postgres: () => pool.query('SELECT 1') },
  });
  const port = await http.listen(config.PORT, config.HOST);

  return {
    port,
    async stop() {
      await http.close();
      clearInterval(prune);
      keys.stop();
      await pool.end();
    },
  };
}
