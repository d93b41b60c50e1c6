import { baseConfigSchema } from '@confeitaria/platform';
import { z } from 'zod';

export const configSchema = baseConfigSchema.extend({
  /** Writes, the saga and migrations. */
  DATABASE_URL: z.string().url().default('postgres://catalog:catalog@127.0.0.1:15432/catalog'),
  /** Reads (GET routes); they fall back to the primary while it fails. */
  DATABASE_REPLICA_URL: z.string().url().default('postgres://catalog:catalog@127.0.0.1:15433/catalog'),
  AMQP_URL: z.string().url().default('amqp://confeitaria:confeitaria@127.0.0.1:15673'),
  /** How long the replica is left alone after a failure before it is probed again. */
  REPLICA_RETRY_MS: z.coerce.number().int().min(50).max(300_000).default(5_000),
  /** A replica read slower than this (connect or query) counts as a failure and is retried on the primary. */
  REPLICA_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(1_500),
});

export type Config = z.infer<typeof configSchema>;
