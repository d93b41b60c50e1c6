import { baseConfigSchema } from '@confeitaria/platform';
import { z } from 'zod';

export const configSchema = baseConfigSchema.extend({
  REDIS_URL: z.url().default('redis://127.0.0.1:16379'),
  /** Carts expire a week after their last change. */
  CART_TTL_SECONDS: z.coerce.number().int().positive().default(604_800),
  AMQP_URL: z.url().default('amqp://confeitaria:confeitaria@127.0.0.1:15673'),
  /** Every catalog instance, comma-separated; the cart fails over from one to the next. */
  CATALOG_URLS: z
    .string()
    .default('http://127.0.0.1:18082,http://127.0.0.1:18083')
    .transform((value) =>
      value
        .split(',')
        .map((url) => url.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.url()).min(1)),
  CATALOG_TIMEOUT_MS: z.coerce.number().int().positive().default(2_000),
});

export type Config = z.infer<typeof configSchema>;
