import { baseConfigSchema } from '@confeitaria/platform';
import { z } from 'zod';

export const configSchema = baseConfigSchema.extend({
  DATABASE_URL: z.string().url().default('postgres://notifications:notifications@127.0.0.1:15432/notifications'),
  AMQP_URL: z.string().url().default('amqp://confeitaria:confeitaria@127.0.0.1:15673'),
});

export type Config = z.infer<typeof configSchema>;
