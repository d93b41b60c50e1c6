import { registry } from '@confeitaria/platform';
import { Counter } from 'prom-client';

/** Requests refused with 429 by the per-client token bucket. */
export const rateLimitedTotal = new Counter({
  name: 'gateway_rate_limited_total',
  help: 'Requests refused with 429 because the client was over its rate limit.',
  registers: [registry],
});
