import assert from 'node:assert/strict';
import { test } from 'node:test';
import { spansOfTrace } from '@confeitaria/chaos/traces/trace-file';
import { gatewayUrl, prometheusUrl } from './support/endpoints';
import { waitFor } from './support/wait';

interface ExemplarSeries {
  seriesLabels: Record<string, string>;
  exemplars: { labels: { trace_id?: string }; value: string; timestamp: number }[];
}

test('a latency exemplar in Prometheus leads to a real trace (service → collector → Prometheus; trace file)', async () => {
  const query = 'http_server_request_duration_seconds_bucket{job="gateway",route="/api/products"}';
  const traceId = await waitFor(
    'an exemplar on the gateway latency histogram',
    async () => {
      await fetch(`${gatewayUrl}/api/products?page=1&pageSize=3`);
      const end = Date.now() / 1000;
      const url = `${prometheusUrl}/api/v1/query_exemplars?query=${encodeURIComponent(query)}&start=${end - 300}&end=${end}`;
      const body = (await (await fetch(url)).json()) as { data: ExemplarSeries[] };
      return body.data.flatMap((series) => series.exemplars).find((exemplar) => exemplar.labels.trace_id)?.labels
        .trace_id;
    },
    45_000,
  );
  assert.match(traceId, /^[0-9a-f]{32}$/);
  const spans = await waitFor('the exemplar trace in the trace file', async () => {
    const found = await spansOfTrace(traceId);
    return found.length ? found : undefined;
  });
  assert.ok(
    spans.some((span) => span.service === 'gateway' && span.kind === 2),
    `the trace holds the gateway's server span: ${spans.map((s) => `${s.service}:${s.name}`).join(', ')}`,
  );
});
