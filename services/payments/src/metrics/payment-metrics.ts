import { registry } from '@confeitaria/platform';
import { Counter, Histogram } from 'prom-client';

export const paymentsTotal = new Counter({
  name: 'payments_total',
  help: 'Payments recorded (one per order), by outcome: succeeded or declined.',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

export const providerDuration = new Histogram({
  name: 'payment_provider_duration_seconds',
  help: 'Time the (simulated) payment provider took to answer one charge.',
  buckets: [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});
