import { baseConfigSchema, urlList } from '@confeitaria/platform';
import { z } from 'zod';

const url = z.url().transform((value) => value.replace(/\/+$/, ''));
const milliseconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export const configSchema = baseConfigSchema.extend({
  IDENTITY_URL: url.default('http://127.0.0.1:18081'),
  /** Comma-separated: every catalog instance, called round-robin. */
  CATALOG_URLS: z
    .string()
    .default('http://127.0.0.1:18082,http://127.0.0.1:18083')
    .transform(urlList)
    .pipe(z.array(z.url()).min(1)),
  CART_URL: url.default('http://127.0.0.1:18084'),
  ORDERS_URL: url.default('http://127.0.0.1:18085'),

  IDENTITY_TIMEOUT_MS: milliseconds(3_000),
  CATALOG_TIMEOUT_MS: milliseconds(3_000),
  CART_TIMEOUT_MS: milliseconds(3_000),
  ORDERS_TIMEOUT_MS: milliseconds(5_000),
  /** Extra attempts for an idempotent GET that got no answer, or a 502/503/504. */
  UPSTREAM_GET_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
  UPSTREAM_RETRY_BACKOFF_MS: z.coerce.number().int().min(0).default(50),
  /** How long an instance that could not be reached is skipped. */
  UPSTREAM_EJECT_MS: milliseconds(5_000),

  JWT_ISSUER: z.string().min(1).default('confeitaria-identity'),
  JWT_AUDIENCE: z.string().min(1).default('confeitaria-api'),
  /**
   * A token naming an unknown key id makes the gateway fetch identity's key set again, at most once
   * per this period: short enough that a restarted identity's new key is picked up quickly, long
   * enough that made-up key ids cannot turn into a flood of requests to identity.
   */
  JWKS_COOLDOWN_MS: z.coerce.number().int().min(0).default(5_000),

  /** Per client (user id, else IP): sustained requests per second, and the burst above it. */
  RATE_LIMIT_RPS: z.coerce.number().positive().default(200),
  RATE_LIMIT_BURST: z.coerce.number().int().positive().default(400),
  /**
   * Whether X-Forwarded-For names the client. Off by default: the gateway is the edge, and a client
   * that may pick its own address picks its own rate-limit bucket.
   */
  TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
});

export type Config = z.infer<typeof configSchema>;
