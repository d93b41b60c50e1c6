import { baseConfigSchema } from '@confeitaria/platform';
import { z } from 'zod';

export const configSchema = baseConfigSchema.extend({
  DATABASE_URL: z.string().url().default('postgres://orders:orders@127.0.0.1:15432/orders'),
  AMQP_URL: z.string().url().default('amqp://confeitaria:confeitaria@127.0.0.1:15673'),
  /** The catalog instances, comma-separated; the price snapshot fails over between them. */
  CATALOG_URLS: z.string().default('http://127.0.0.1:18082,http://127.0.0.1:18083'),
  CATALOG_TIMEOUT_MS: z.coerce.number().int().positive().default(2_000),
});

export type Config = z.infer<typeof configSchema>;
