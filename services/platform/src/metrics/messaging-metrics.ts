import { Counter, Gauge, Histogram } from 'prom-client';
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

export const consumerUp = new Gauge({
  name: 'messaging_consumer_up',
  help: 'Whether the consumer of a queue is subscribed and receiving (1) or not (0), e.g. while its channel is reopened.',
  labelNames: ['queue'] as const,
  registers: [registry],
});

export const channelLosses = new Counter({
  name: 'messaging_channel_losses_total',
  help: 'Channels RabbitMQ closed or whose consumer it cancelled while the connection stayed up, then reopened.',
  labelNames: ['channel'] as const,
  registers: [registry],
});

export const outboxPublishLag = new Histogram({
  name: 'outbox_publish_lag_seconds',
  help: 'Time from an event written to the outbox to its publish confirmed by the broker.',
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
  registers: [registry],
});

/** Sources of the outbox backlog: each running relay counts its own table when Prometheus scrapes. */
export const outboxBacklogSources = new Set<() => Promise<number>>();

export const outboxBacklog = new Gauge({
  name: 'outbox_backlog',
  help: 'Outbox rows not yet published, counted at scrape time (last value kept while the database is unreachable).',
  registers: [registry],
  async collect() {
    try {
      let total = 0;
      for (const count of outboxBacklogSources) total += await count();
      this.set(total);
    } catch {
      // The database is away (a fault, most likely): keep the last known backlog rather than fail the scrape.
    }
  },
});
