import { registry } from '@confeitaria/platform';
import { Counter, Histogram } from 'prom-client';

export const ordersAccepted = new Counter({
  name: 'orders_accepted_total',
  help: 'Orders accepted (202) and written with their order.created event.',
  registers: [registry],
});

export const ordersFinished = new Counter({
  name: 'orders_finished_total',
  help: 'Orders that reached a terminal state, by status and reason.',
  labelNames: ['status', 'reason'] as const,
  registers: [registry],
});

export const orderCompletion = new Histogram({
  name: 'order_completion_seconds',
  help: 'Time from an order being accepted to its terminal state (the saga end to end).',
  labelNames: ['status'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
  enableExemplars: true,
  registers: [registry],
});
