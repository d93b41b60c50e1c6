import { registry } from '@confeitaria/platform';
import { Counter } from 'prom-client';

/** Requests refused with 429 by the per-client token bucket. */
export const rateLimitedTotal = new Counter({
  name: 'gateway_rate_limited_total',
  help: 'Requests refused with 429 because the client was over its rate limit.',
  registers: [registry],
});

/** Extra attempts of idempotent GETs (another instance, or the same one after a back-off). */
export const upstreamRetriesTotal = new Counter({
  name: 'gateway_upstream_retries_total',
  help: 'Idempotent upstream calls repeated after no answer or a 502/503/504.',
  labelNames: ['upstream'] as const,
  registers: [registry],
});

/** Instances taken out of rotation for a while after a failed connection or a timeout. */
export const upstreamEjectionsTotal = new Counter({
  name: 'gateway_upstream_ejections_total',
  help: 'Upstream instances skipped for a while after they could not be reached or timed out.',
  labelNames: ['upstream', 'instance'] as const,
  registers: [registry],
});
