import { baseConfigSchema } from '@confeitaria/platform';
import { z } from 'zod';

export const configSchema = baseConfigSchema.extend({
  DATABASE_URL: z.url().default('postgres://payments:payments@127.0.0.1:15432/payments'),
  AMQP_URL: z.url().default('amqp://confeitaria:confeitaria@127.0.0.1:15673'),
  /** The simulated provider is a pure function of this seed, the order id and the card token. */
  PAYMENT_SEED: z.string().min(1).default('confeitaria'),
  /** Share of orders the provider declines (besides every `tok_decline`). */
  PAYMENT_DECLINE_RATE: z.coerce.number().min(0).max(1).default(0.05),
  PAYMENT_LATENCY_MS: z.coerce.number().int().min(0).max(60_000).default(50),
  PAYMENT_LATENCY_JITTER_MS: z.coerce.number().int().min(0).max(60_000).default(20),
});

export type Config = z.infer<typeof configSchema>;
