import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gatewayUrl, promQuery } from './support/endpoints';
import { waitFor } from './support/wait';

test("Prometheus returns the gateway's request-rate series (service → collector → Prometheus)", async () => {
  const missingProduct = `${gatewayUrl}/api/products/999999999`;
  const expr = 'sum by (route, status_code) (rate(http_server_request_duration_seconds_count{job="gateway"}[1m]))';
  const series = await waitFor(
    'the gateway request rate in Prometheus',
    async () => {
      // Keep traffic flowing while waiting: a rate needs the counter to move between two scrapes.
      await fetch(missingProduct);
      const result = await promQuery(expr);
      const notFound = (s: (typeof result)[number]) =>
        s.metric.route === '/api/products/:id' && s.metric.status_code === '404';
      return result.some((s) => notFound(s) && Number(s.value[1]) > 0) ? result : undefined;
    },
    45_000,
  );
  const rate = series.find((s) => s.metric.route === '/api/products/:id' && s.metric.status_code === '404');
  assert.ok(Number(rate?.value[1]) > 0, `a 404 rate for GET /api/products/:id: ${JSON.stringify(series)}`);
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
