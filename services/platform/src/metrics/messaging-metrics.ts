import { Counter, Histogram } from 'prom-client';
import { registry } from './registry';

export const consumeDuration = new Histogram({
  name: 'messaging_consume_duration_seconds',
  help: 'Time to handle one delivered message, by queue and outcome (acked, retried, parked).',
  labelNames: ['queue', 'outcome'] as const,
  buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

export const retriesTotal = new Counter({
  name: 'messaging_retries_total',
  help: 'Messages sent to a delay queue for another attempt after their handler failed.',
  labelNames: ['queue'] as const,
  registers: [registry],
});

export const parkedTotal = new Counter({
  name: 'messaging_parked_total',
  help: 'Messages moved to a parking queue (unparseable, or failed on every attempt).',
  labelNames: ['queue'] as const,
  registers: [registry],
});

export const publishedTotal = new Counter({
  name: 'messaging_published_total',
  help: 'Events published and confirmed by the broker, by routing key.',
  labelNames: ['routing_key'] as const,
  registers: [registry],
});
