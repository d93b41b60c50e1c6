import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type GatewayUnderTest, problemOf, startGatewayUnderTest } from './support/gateway-under-test';
import { deadUrl, json, type StandIn, startStandIn } from './support/stand-in-server';

describe('the storefront at / (a build of web/ in a folder of its own)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'storefront-'));
  let shop: GatewayUnderTest;
  before(async () => {
    mkdirSync(join(dir, 'assets'));
    writeFileSync(
      join(dir, 'index.html'),
      '<!doctype html><title>Confeitaria</title><script src="/assets/index-Ab1.js"></script>',
    );
    writeFileSync(join(dir, 'assets', 'index-Ab1.js'), 'console.log(1)');
    writeFileSync(join(dir, 'secret.txt'), 'not an asset');
    shop = await startGatewayUnderTest({ STOREFRONT_DIR: dir });
  });
  after(async () => {
    await shop.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('/ is the page, under a policy that allows this origin only and never caches a stale build', async () => {
    const response = await shop.call('/');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(await response.text(), /<title>Confeitaria<\/title>/);
    const policy = response.headers.get('content-security-policy') ?? '';
    for (const directive of ["default-src 'self'", "script-src 'self'", "frame-ancestors 'none'"]) {
      assert.ok(policy.includes(directive), `${directive} in ${policy}`);
    }
    assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval|\*/);
    assert.equal(response.headers.get('cache-control'), 'no-cache');
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
  });

  test('a hashed asset is served for a year, immutable', async () => {
    const response = await shop.call('/assets/index-Ab1.js');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /javascript/);
    assert.match(response.headers.get('cache-control') ?? '', /max-age=31536000.*immutable/);
    assert.equal(await response.text(), 'console.log(1)');
  });

  test('nothing else of the folder, no traversal, no case variant: a 404 problem, never a 5xx', async () => {
    const paths = [
      '/secret.txt',
      '/index.html',
      '/assets/missing-1.js',
      '/assets/..%2Fsecret.txt',
      '/assets/%2e%2e/secret.txt',
      '/assets/.hidden.js',
      '/ASSETS/index-Ab1.js',
      '/assets/index-Ab1.JS',
      '/produtos',
      '/API/products',
    ];
    for (const path of paths) {
      const response = await shop.call(path);
      assert.equal(response.status, 404, path);
      assert.match(response.headers.get('content-type') ?? '', /application\/problem\+json/, path);
      await response.text();
    }
    const posted = await shop.call('/', { method: 'POST', json: {} });
    assert.ok(posted.status === 404 || posted.status === 405, `POST / → ${posted.status}`);
    await posted.text();
  });

  test('a gateway started without a build says so at / with a 503, and still serves the API', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'storefront-empty-'));
    const bare = await startGatewayUnderTest({ STOREFRONT_DIR: empty });
    try {
      const page = await bare.call('/');
      assert.equal(page.status, 503);
      assert.match(((await page.json()) as { detail?: string }).detail ?? '', /npm run build -w web/);
      assert.equal((await bare.call('/api/products')).status, 200);
    } finally {
      await bare.stop();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe("the page's spans, forwarded to the collector (POST /otlp/v1/traces)", () => {
  const dir = mkdtempSync(join(tmpdir(), 'storefront-traces-'));
  let collector: StandIn;
  let shop: GatewayUnderTest;
  const exportOf = (serviceName: string, spans = 1) => ({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: serviceName } }] },
        scopeSpans: [
          {
            scope: { name: 'confeitaria-storefront' },
            spans: Array.from({ length: spans }, (_, i) => ({
              traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
              spanId: `00f067aa0ba902b${i % 10}`,
              name: 'place order',
              kind: 1,
              startTimeUnixNano: '1796355241691000000',
              endTimeUnixNano: '1796355241740884715',
            })),
          },
        ],
      },
    ],
  });
  before(async () => {
    writeFileSync(join(dir, 'index.html'), '<!doctype html><html><head><title>Confeitaria</title></head></html>');
    collector = await startStandIn((_request, response) => json(response, 200, { partialSuccess: {} }));
    shop = await startGatewayUnderTest({
      STOREFRONT_DIR: dir,
      BROWSER_TRACES_URL: `${collector.url}/v1/traces`,
      BROWSER_TRACES_RPS: 0.1,
      BROWSER_TRACES_BURST: 8,
      GRAFANA_PUBLIC_URL: 'http://127.0.0.1:3000/?a="b"&c',
    });
  });
  after(async () => {
    await shop.stop();
    await collector.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the page is told where its spans go and where Grafana is (escaped), and nothing else changes', async () => {
    const page = await (await shop.call('/')).text();
    assert.match(page, /<meta name="confeitaria:traces" content="\/otlp\/v1\/traces">/);
    assert.match(
      page,
      /<meta name="confeitaria:grafana" content="http:\/\/127\.0\.0\.1:3000\/\?a=&quot;b&quot;&amp;c">/,
    );
    assert.match(page, /<title>Confeitaria<\/title>/);
  });

  test('an export reaches the collector filed under storefront, whatever service it claims to be', async () => {
    const before = collector.hits('POST', '/v1/traces').length;
    const response = await shop.call('/otlp/v1/traces', { method: 'POST', json: exportOf('orders', 3) });
    assert.equal(response.status, 200, await response.clone().text());
    assert.deepEqual(await response.json(), { partialSuccess: {} });
    const hits = collector.hits('POST', '/v1/traces');
    assert.equal(hits.length, before + 1);
    const sent = JSON.parse(hits.at(-1)?.body ?? '{}') as ReturnType<typeof exportOf>;
    const resource = sent.resourceSpans[0]?.resource.attributes ?? [];
    assert.deepEqual(
      resource.filter((attribute) => attribute.key === 'service.name'),
      [{ key: 'service.name', value: { stringValue: 'storefront' } }],
    );
    assert.equal(sent.resourceSpans[0]?.scopeSpans[0]?.spans.length, 3);
    assert.equal(hits.at(-1)?.headers.traceparent, undefined, 'forwarding is not traced itself');
  });

  test('what is not an OTLP JSON export of a bounded size is a 4xx problem, and the collector never sees it', async () => {
    const before = collector.hits('POST', '/v1/traces').length;
    const cases: [string, RequestInit & { json?: unknown }, number][] = [
      ['no resourceSpans', { method: 'POST', json: { spans: [] } }, 400],
      ['resourceSpans empty', { method: 'POST', json: { resourceSpans: [] } }, 400],
      [
        'too many spans in one batch',
        {
          method: 'POST',
          json: { resourceSpans: [{ scopeSpans: [{ spans: Array.from({ length: 513 }, () => ({})) }] }] },
        },
        400,
      ],
      ['protobuf', { method: 'POST', body: 'x', headers: { 'content-type': 'application/x-protobuf' } }, 415],
      [
        'broken JSON',
        { method: 'POST', body: '{"resourceSpans":[', headers: { 'content-type': 'application/json' } },
        400,
      ],
    ];
    for (const [what, init, status] of cases) {
      const response = await shop.call('/otlp/v1/traces', init);
      assert.equal(response.status, status, `${what}: ${await response.clone().text()}`);
      await problemOf(response);
    }
    const huge = await shop.call('/otlp/v1/traces', {
      method: 'POST',
      json: { resourceSpans: [{ scopeSpans: [], padding: 'x'.repeat(70_000) }] },
    });
    assert.equal(huge.status, 413);
    await huge.text();
    assert.equal(collector.hits('POST', '/v1/traces').length, before);
  });

  test('one address sending faster than its rate gets 429 with Retry-After; a dead collector is a fast 503', async () => {
    let status = 0;
    let response: Response | undefined;
    for (let i = 0; i < 12 && status !== 429; i++) {
      response = await shop.call('/otlp/v1/traces', { method: 'POST', json: exportOf('storefront') });
      status = response.status;
      await response.text();
    }
    assert.equal(status, 429);
    assert.ok(Number(response?.headers.get('retry-after')) >= 1);

    const lonely = await startGatewayUnderTest({
      STOREFRONT_DIR: dir,
      BROWSER_TRACES_URL: `${await deadUrl()}/v1/traces`,
    });
    try {
      const started = performance.now();
      const refused = await lonely.call('/otlp/v1/traces', { method: 'POST', json: exportOf('storefront') });
      assert.equal(refused.status, 503);
      assert.ok(performance.now() - started < 2_500);
      await problemOf(refused);
      // Without a collector to forward to, the page is not told to send anything.
      const bare = await startGatewayUnderTest({ STOREFRONT_DIR: dir });
      try {
        assert.doesNotMatch(await (await bare.call('/')).text(), /confeitaria:traces/);
        assert.equal((await bare.call('/otlp/v1/traces', { method: 'POST', json: exportOf('x') })).status, 404);
      } finally {
        await bare.stop();
      }
    } finally {
      await lonely.stop();
    }
  });
});

describe('the experiment in progress, for the demo panel (GET /demo/state)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'storefront-demo-'));
  let prometheus: StandIn;
  let shop: GatewayUnderTest;
  let series: Record<string, Record<string, string>[]> = {};
  /** What the range query for chaos_run_* answers: each series' samples, oldest first. */
  let runs: { metric: Record<string, string>; values: [number, string][] }[] = [];
  before(async () => {
    writeFileSync(join(dir, 'index.html'), '<!doctype html><html><head></head></html>');
    prometheus = await startStandIn((request, response) => {
      const expr = new URL(request.url, 'http://x').searchParams.get('query') ?? '';
      if (expr.startsWith('{__name__=~"chaos_run_.+"}[')) {
        return json(response, 200, { status: 'success', data: { resultType: 'matrix', result: runs } });
      }
      const metric = expr.includes('chaos_phase') ? 'chaos_phase' : 'chaos_fault_active';
      json(response, 200, {
        status: 'success',
        data: {
          resultType: 'vector',
          result: (series[metric] ?? []).map((labels) => ({ metric: labels, value: [0, '1'] })),
        },
      });
    });
    shop = await startGatewayUnderTest({ STOREFRONT_DIR: dir, PROMETHEUS_URL: prometheus.url });
  });
  after(async () => {
    await shop.stop();
    await prometheus.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("names the scenario, its phase and the faults in force, from the chaos runner's metrics", async () => {
    series = {
      chaos_phase: [{ scenario: 'db-latency', phase: 'fault' }],
      chaos_fault_active: [
        { scenario: 'db-latency', fault: 'latency@orders-postgres', kind: 'latency', target: 'orders-postgres' },
      ],
    };
    const response = await shop.call('/demo/state');
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const state = (await response.json()) as { experiment: unknown; faults: unknown[]; lastRun: unknown };
    assert.deepEqual(state.experiment, { scenario: 'db-latency', phase: 'fault' });
    assert.deepEqual(state.faults, [
      { scenario: 'db-latency', fault: 'latency@orders-postgres', kind: 'latency', target: 'orders-postgres' },
    ]);
    const queries = prometheus.received.map((r) => new URL(r.url, 'http://x').searchParams.get('query'));
    assert.ok(queries.some((q) => q?.includes('chaos_phase') && q.includes('== 1')));
    assert.ok(queries.some((q) => q?.includes('chaos_fault_active') && q.includes('== 1')));
    // A runner that stopped exporting leaves its phase behind in the collector: a fresh heartbeat is asked too.
    for (const q of queries.filter((q) => !q?.startsWith('{'))) assert.match(q ?? '', /chaos_runner_heartbeat/);
    assert.equal(state.lastRun, null, 'no run has ended yet');
  });

  test("the newest run that ended, with its verdict and figures in the panel's units", async () => {
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    series = {};
    const run = (name: string, run: string, value: number, extra: Record<string, string> = {}) => ({
      metric: { __name__: name, scenario: run.split('_')[0] ?? '', run, job: 'chaos-runner', ...extra },
      values: [
        [1_000, String(value)],
        [1_005, String(value)],
      ] as [number, string][],
    });
    runs = [
      run('chaos_run_verdict', 'db-latency_1', 1, { verdict: 'FAIL' }),
      run('chaos_run_end_timestamp_seconds', 'db-latency_1', 1_800_000_000),
      run('chaos_run_verdict', 'broker-crash_2', 1, { verdict: 'PASS' }),
      run('chaos_run_end_timestamp_seconds', 'broker-crash_2', 1_800_000_600),
      run('chaos_run_audit_clean', 'broker-crash_2', 1),
      run('chaos_run_failed_requests_ratio', 'broker-crash_2', 0.0125),
      run('chaos_run_p95_latency_seconds', 'broker-crash_2', 0.4321),
      run('chaos_run_accepted_orders', 'broker-crash_2', 318),
      // A series without its run's end (its runner died before judging) is no run to show.
      run('chaos_run_verdict', 'cache-crash_3', 1, { verdict: 'PASS' }),
      // The same folder name from an earlier runner process, listed after the newer one: another run.
      run('chaos_run_verdict', 'broker-crash_2', 1, { verdict: 'FAIL', instance: 'host:41' }),
      run('chaos_run_end_timestamp_seconds', 'broker-crash_2', 1_700_000_000, { instance: 'host:41' }),
      run('chaos_run_p95_latency_seconds', 'broker-crash_2', 9.9, { instance: 'host:41' }),
    ];
    try {
      const state = (await (await shop.call('/demo/state')).json()) as { lastRun: Record<string, unknown> };
      assert.deepEqual(state.lastRun, {
        scenario: 'broker-crash',
        run: 'broker-crash_2',
        verdict: 'PASS',
        endedAt: new Date(1_800_000_600_000).toISOString(),
        auditClean: true,
        failedRatio: 0.0125,
        p95Ms: 432.1,
        acceptedOrders: 318,
      });
    } finally {
      runs = [];
    }
  });

  test('a crowd of panels asks Prometheus once per 2 s, and a quiet one says no experiment runs', async () => {
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    series = {};
    const before = prometheus.received.length;
    const states = await Promise.all(
      Array.from(
        { length: 20 },
        async () => (await shop.call('/demo/state')).json() as Promise<{ experiment: unknown }>,
      ),
    );
    assert.equal(prometheus.received.length - before, 3, 'one reading: three queries');
    for (const state of states) assert.equal(state.experiment, null);
  });

  test('Prometheus down is a fast 503 naming it; a gateway without one has no such route', async () => {
    const lonely = await startGatewayUnderTest({ STOREFRONT_DIR: dir, PROMETHEUS_URL: await deadUrl() });
    try {
      const response = await lonely.call('/demo/state');
      assert.equal(response.status, 503);
      assert.match((await problemOf(response)).detail, /prometheus/);
    } finally {
      await lonely.stop();
    }
    const garbled = await startStandIn((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<html>a proxy error page</html>');
    });
    const confused = await startGatewayUnderTest({ STOREFRONT_DIR: dir, PROMETHEUS_URL: garbled.url });
    try {
      const response = await confused.call('/demo/state');
      assert.equal(response.status, 503, 'an answer that is not Prometheus JSON is the dependency failing');
      await problemOf(response);
    } finally {
      await confused.stop();
      await garbled.close();
    }
    const bare = await startGatewayUnderTest({ STOREFRONT_DIR: dir });
    try {
      const response = await bare.call('/demo/state');
      assert.equal(response.status, 404);
      await response.text();
    } finally {
      await bare.stop();
    }
  });
});
