import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gatewayUrl, promQuery } from './support/endpoints';
import { waitFor } from './support/wait';

test("Prometheus returns the gateway's request-rate series (service → collector → Prometheus)", async () => {
  // Traffic first, so there is a rate to see even on a fresh stack.
  for (let i = 0; i < 10; i++) await fetch(`${gatewayUrl}/api/orders/00000000-0000-4000-8000-000000000000`);
  const expr = 'sum by (route, status_code) (rate(http_server_request_duration_seconds_count{job="gateway"}[1m]))';
  const series = await waitFor(
    'the gateway request rate in Prometheus',
    async () => {
      const result = await promQuery(expr);
      return result.some((s) => s.metric.route === '/api/orders/:id' && Number(s.value[1]) > 0) ? result : undefined;
    },
    45_000,
  );
  const notFound = series.find((s) => s.metric.route === '/api/orders/:id' && s.metric.status_code === '404');
  assert.ok(notFound, `a 404 series for GET /api/orders/:id: ${JSON.stringify(series)}`);
});

test('Prometheus scrapes every component of the stack', async () => {
  const jobs = ['otel-collector', 'rabbitmq', 'postgres', 'redis', 'toxiproxy', 'prometheus'];
  const up = await waitFor(
    'every scrape job up',
    async () => {
      const result = await promQuery('max by (job) (up)');
      const ok = new Set(result.filter((s) => s.value[1] === '1').map((s) => s.metric.job));
      return jobs.every((job) => ok.has(job)) ? result : undefined;
    },
    45_000,
  );
  assert.ok(up.length >= jobs.length);
});
