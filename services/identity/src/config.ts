import { baseConfigSchema } from '@confeitaria/platform';
import { z } from 'zod';

export const configSchema = baseConfigSchema.extend({
  DATABASE_URL: z.string().url().default('postgres://identity:identity@127.0.0.1:15432/identity'),
  JWT_ISSUER: z.string().min(1).default('confeitaria-identity'),
  JWT_AUDIENCE: z.string().min(1).default('confeitaria-api'),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600),
  /** Age after which the active signing key is replaced (fractions allowed, for tests and drills). */
  KEY_ROTATION_DAYS: z.coerce.number().positive().max(365).default(30),
  /**
   * Seals the private signing keys at rest (key-encryption.ts); from the environment, never from the
   * database. The stack generates one per machine; outside local mode the default is refused.
   */
  SIGNING_KEY_ENCRYPTION_KEY: z.string().min(16).default('local-only-signing-key-encryption-key'),
  /** How often an instance re-reads the keys, so a rotation done by another instance is picked up. */
  KEY_REFRESH_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /**
   * Admission control for password hashing (Argon2id, about 19 MiB and 30-60 ms of a core each): hashes
   * running at once, callers that may wait, and the longest wait. Beyond them a login or registration
   * gets 503 + Retry-After at once, well inside the gateway's IDENTITY_TIMEOUT_MS. Two at once by
   * default: with one, a chaos experiment's sign-ups queued behind each other and its baseline p95 broke
   * its own tolerance. Under a login storm two hashes take both cores of a 2-core machine; the gateway's
   * in-flight gate (MAX_IN_FLIGHT) keeps it answering meanwhile (docs/capacity.md).
   */
  HASH_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  HASH_QUEUE_LIMIT: z.coerce.number().int().min(0).default(32),
  HASH_MAX_WAIT_MS: z.coerce.number().int().positive().default(1_000),
  /**
   * The longest a login or registration waits for its hash once it runs: past it, 503 + Retry-After
   * (the hash finishes, its result is dropped: no account stored, no token issued). With the wait above,
   * identity answers within 2.5 s, under the gateway's IDENTITY_TIMEOUT_MS (3 s), however slow the CPU.
   */
  HASH_MAX_RUN_MS: z.coerce.number().int().positive().default(1_500),
  /** Failed logins of one account within LOGIN_FAILURE_WINDOW_S that lock it for LOGIN_LOCKOUT_S. */
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  LOGIN_FAILURE_WINDOW_S: z.coerce.number().int().positive().default(300),
  LOGIN_LOCKOUT_S: z.coerce.number().int().positive().default(60),
  ADMIN_EMAIL: z.email().default('admin@confeitaria.local'),
  /** A documented local default; a real deployment sets its own through the environment. */
  ADMIN_PASSWORD: z.string().min(8).max(128).default('confeitaria-admin'),
});

export type Config = z.infer<typeof configSchema>;
