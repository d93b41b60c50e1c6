import { baseConfigSchema } from '@confeitaria/platform';
import { z } from 'zod';

export const configSchema = baseConfigSchema.extend({
  ORDERS_URL: z.string().url().default('http://127.0.0.1:18085'),
  UPSTREAM_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
});

export type Config = z.infer<typeof configSchema>;
