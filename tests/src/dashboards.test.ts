/**
 * Grafana as code against the live stack. Grafana itself runs in docker mode only, so what can break
 * here is checked directly: the generated JSON matches its source, the provisioning files give the
 * datasources the uids everything links by, and every PromQL expression a dashboard, a datasource link,
 * an alert or a chaos report runs returns data from the real Prometheus after a burst of real traffic.
 * A panel showing "No data", an alert whose inputs are missing, a report chart left empty: all bugs,
 * and this test is where they show up. (The chaos fault queries need an experiment to have run: the
 * chaos-scenario test runs before this file.)
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { timelineCharts, withTestId } from '@confeitaria/chaos/runner/timeline';
import { catalogue } from '@confeitaria/chaos/scenarios';
import {
  type DashboardJson,
  type DashboardQuery,
  dashboardQueries,
  dashboardsDir,
  renderAll,
  staleDashboards,
} from '@confeitaria/grafana';
import { runK6 } from '@confeitaria/stack/k6';
import { repoRoot } from '@confeitaria/stack/paths';
import { parse } from 'yaml';
import { gatewayUrl, prometheusUrl, promQuery } from './support/endpoints';
import { newCustomer, newProduct, placeOrder, settled } from './support/shop';

interface Datasource {
  uid: string;
  type: string;
  url: string;
  jsonData: Record<string, unknown> & {
    exemplarTraceIdDestinations?: { name: string; datasourceUid: string }[];
    serviceMap?: { datasourceUid?: string };
    nodeGraph?: { enabled?: boolean };
    tracesToMetrics?: { datasourceUid?: string; queries?: { name: string; query: string }[] };
  };
}

const provisioning = (file: string) => parse(readFileSync(join(repoRoot, 'grafana', 'provisioning', file), 'utf8'));
const datasources = (provisioning('datasources/datasources.yaml') as { datasources: Datasource[] }).datasources;
const datasource = (uid: string) => datasources.find((candidate) => candidate.uid === uid);

test('the generated dashboard JSON is up to date with its source', () => {
  assert.deepEqual(staleDashboards(), [], 'stale files in grafana/dashboards: run `npm run dashboards`');
});

test('provisioning gives Prometheus and Tempo fixed uids, links exemplars to Tempo and Tempo back to metrics', async () => {
  const prometheus = datasource('prometheus');
  const tempo = datasource('tempo');
  assert.deepEqual([prometheus?.type, prometheus?.url], ['prometheus', 'http://prometheus:9090']);
  assert.deepEqual([tempo?.type, tempo?.url], ['tempo', 'http://tempo:3200']);
  assert.deepEqual(prometheus?.jsonData.exemplarTraceIdDestinations, [{ name: 'trace_id', datasourceUid: 'tempo' }]);
  assert.equal(tempo?.jsonData.serviceMap?.datasourceUid, 'prometheus');
  assert.equal(tempo?.jsonData.tracesToMetrics?.datasourceUid, 'prometheus');
  assert.equal(tempo?.jsonData.nodeGraph?.enabled, true);

  const { providers } = provisioning('dashboards/dashboards.yaml') as {
    providers: { type: string; folder: string; options: { path?: string } }[];
  };
  assert.deepEqual(
    providers.map((p) => [p.type, p.folder, Boolean(p.options.path)]),
    [['file', 'Confeitaria', true]],
  );

  // The exemplar link works only if the services' exemplars carry the label it names.
  await fetch(`${gatewayUrl}/api/products?page=1&pageSize=2`);
  const end = Date.now() / 1000;
  const exemplars = (await (
    await fetch(
      `${prometheusUrl}/api/v1/query_exemplars?query=${encodeURIComponent('http_server_request_duration_seconds_bucket')}&start=${end - 600}&end=${end}`,
    )
  ).json()) as { data: { exemplars: { labels: Record<string, string> }[] }[] };
  const labels = new Set(exemplars.data.flatMap((s) => s.exemplars.flatMap((e) => Object.keys(e.labels))));
  assert.ok(labels.has('trace_id'), `exemplar labels in Prometheus: ${[...labels].join(', ')}`);
});

/** Grafana's own interval variables; 1m is four scrape intervals, what $__rate_interval gives here. */
const builtIns = (expr: string) => expr.replace(/\$__(rate_interval|interval|range)\b/g, '1m');

/** Values of a `label_values(metric, label)` variable over the last hour, as Grafana would list them. */
async function variableValues(query: string): Promise<string[]> {
  const match = /^label_values\((.+),\s*(\w+)\)$/.exec(query);
  if (!match) throw new Error(`unsupported variable query: ${query}`);
  const [, metric, label] = match as unknown as [string, string, string];
  const start = Date.now() / 1000 - 3600;
  const url = `${prometheusUrl}/api/v1/label/${label}/values?match[]=${encodeURIComponent(metric)}&start=${start}`;
  return ((await (await fetch(url)).json()) as { data: string[] }).data;
}

/**
 * A series with a number (not NaN) is data; histogram_quantile over an idle window gives NaN, which
 * Grafana shows as nothing. Range queries (`overMinutes`) are for what is read over a past window: the
 * chaos runner's series, which exist only while an experiment runs, and the chaos reports, which read
 * their run's window after it ended (their 15 s rates are empty a few seconds after the traffic).
 */
async function hasData(expr: string, overMinutes?: number): Promise<boolean> {
  if (overMinutes || expr.includes('chaos_')) {
    const end = Date.now() / 1000;
    const url = `${prometheusUrl}/api/v1/query_range?query=${encodeURIComponent(expr)}&start=${end - 60 * (overMinutes ?? 60)}&end=${end}&step=2`;
    const body = (await (await fetch(url)).json()) as { data: { result: { values: [number, string][] }[] } };
    return body.data.result.some((series) => series.values.some(([, value]) => Number.isFinite(Number(value))));
  }
  return (await promQuery(expr)).some((series) => Number.isFinite(Number(series.value[1])));
}

/**
 * An alert's expression with each comparison in its `bool` form: it returns a series wherever both
 * sides have data, firing or not. An alert whose inputs return nothing could never fire.
 */
const comparisonsAsBool = (expr: string) => expr.replace(/(\s)(>=|<=|==|!=|>|<)(\s)/g, '$1$2 bool$3');

/** Alerting rules loaded in Prometheus, with their expressions. */
async function alertRules(): Promise<{ name: string; query: string }[]> {
  const body = (await (await fetch(`${prometheusUrl}/api/v1/rules?type=alert`)).json()) as {
    data: { groups: { rules: { name: string; query: string }[] }[] };
  };
  return body.data.groups.flatMap((group) => group.rules);
}

/** True when some value of the dashboard's variables makes `query` return data (a variable-free query: itself). */
async function returnsData(query: DashboardQuery, variables: Map<string, string[]>): Promise<boolean> {
  const used = [...new Set([...query.expr.matchAll(/\$\{?([a-z]\w*)/g)].map((m) => m[1] as string))];
  let candidates = [builtIns(query.expr)];
  for (const name of used) {
    const values = variables.get(name) ?? [];
    candidates = candidates.flatMap((expr) =>
      values.map((value) => expr.replace(new RegExp(`\\$\\{?${name}\\}?`, 'g'), value)),
    );
  }
  const overMinutes = query.dashboard === 'chaos report' || query.dashboard.startsWith('scenario ') ? 5 : undefined;
  for (const expr of candidates) if (await hasData(expr, overMinutes)) return true;
  return false;
}

/** The metric names an expression selects: what is left once strings, matchers, ranges, grouping and calls are gone. */
function metricsIn(expr: string): string[] {
  const bare = expr
    .replace(/"[^"]*"/g, '')
    .replace(/\{[^}]*\}|\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = [...bare.matchAll(/([a-zA-Z_:][\w:]*)\s*(\()?/g)]
    .filter((m) => !m[2] && !/^(and|or|unless|bool|offset|inf|nan)$/i.test(m[1] as string))
    .map((m) => m[1] as string);
  return [...new Set(names)];
}

/** Every metric name Prometheus holds, to tell "never exported" from "no data just now". */
async function metricNames(): Promise<Set<string>> {
  return new Set(
    ((await (await fetch(`${prometheusUrl}/api/v1/label/__name__/values`)).json()) as { data: string[] }).data,
  );
}

/**
 * Real traffic for every panel: a short k6 run (admin stock writes included, which the write probes
 * read), plus orders that confirm, are declined, and run out of stock.
 */
async function generateTraffic(testId: string): Promise<void> {
  const orders = (async () => {
    const user = await newCustomer();
    const product = await newProduct(3);
    const bodies = [
      { items: [{ productId: product.id, quantity: 1 }] },
      { items: [{ productId: product.id, quantity: 1 }], paymentToken: 'tok_decline' },
      { items: [{ productId: product.id, quantity: 50 }] },
    ];
    for (const body of bodies) {
      const accepted = await placeOrder(user, body);
      assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
      await settled(user, accepted.body.id);
    }
  })();
  const [k6] = await Promise.all([
    runK6('journey', { env: { DURATION: '8s', VUS: '2', ADMIN_RATE: '1' }, testId }),
    orders,
  ]);
  assert.ok(k6.ledger.length > 0, 'the k6 burst placed orders');
}

test('every dashboard, datasource, alert and chaos-report query returns data from the live Prometheus after real traffic', async () => {
  const testId = `promql-sweep-${Date.now()}`;
  await generateTraffic(testId);
  await sleep(15_000); // two collector → Prometheus scrape rounds, and recording rules evaluated

  const queries = renderAll().flatMap(({ file }) =>
    dashboardQueries(JSON.parse(readFileSync(join(dashboardsDir, file), 'utf8')) as DashboardJson),
  );
  // Tempo's traces-to-metrics queries: Grafana fills $__tags from the span (service.name → service_name).
  for (const { name, query } of datasource('tempo')?.jsonData.tracesToMetrics?.queries ?? []) {
    queries.push({
      dashboard: 'datasource tempo',
      where: name,
      source: 'panel',
      expr: query.replace('$$__tags', 'service_name="gateway"'),
    });
  }

  const rules = await alertRules();
  for (const rule of rules) {
    queries.push({ dashboard: 'alert', where: rule.name, source: 'panel', expr: comparisonsAsBool(rule.query) });
  }
  // The chaos reports: their timeline charts and every scenario's probes, for the burst's k6 test id.
  for (const chart of timelineCharts) {
    for (const { label, query } of chart.queries) {
      queries.push({
        dashboard: 'chaos report',
        where: `${chart.id} / ${label}`,
        source: 'panel',
        expr: withTestId(query, testId),
      });
    }
  }
  for (const scenario of catalogue) {
    for (const probe of scenario.probes) {
      queries.push({
        dashboard: `scenario ${scenario.name}`,
        where: probe.name,
        source: 'panel',
        expr: withTestId(probe.query, testId),
      });
    }
  }

  const variables = new Map<string, Map<string, string[]>>();
  const failures: string[] = [];
  for (const query of queries.filter((q) => q.source === 'variable')) {
    const values = await variableValues(query.expr);
    if (values.length === 0) failures.push(`${query.dashboard} / ${query.where}: ${query.expr} lists no values`);
    const byName = variables.get(query.dashboard) ?? new Map<string, string[]>();
    byName.set(query.where.slice(1), values);
    variables.set(query.dashboard, byName);
  }

  // Firing alerts are empty when all is well: those queries must name alert rules that are loaded instead.
  const alertQueries = queries.filter((q) => q.source !== 'variable' && /\bALERTS\{/.test(q.expr));
  for (const query of alertQueries) {
    const pattern = /alertname=~"([^"]+)"/.exec(query.expr)?.[1] ?? '';
    if (!rules.some(({ name }) => new RegExp(`^(?:${pattern})$`).test(name))) {
      failures.push(`${query.dashboard} / ${query.where}: no alerting rule loaded matches alertname=~"${pattern}"`);
    }
  }

  // Recording rules (slo:*) may still be catching up: retry what returned nothing for a while.
  let pending = queries.filter((q) => q.source !== 'variable' && !alertQueries.includes(q));
  const checked = pending.length;
  const deadline = Date.now() + 45_000;
  for (;;) {
    const still: DashboardQuery[] = [];
    for (const query of pending) {
      if (!(await returnsData(query, variables.get(query.dashboard) ?? new Map()))) still.push(query);
    }
    pending = still;
    if (pending.length === 0 || Date.now() > deadline) break;
    await sleep(5_000);
  }
  const exported = await metricNames();
  for (const query of pending) {
    const missing = metricsIn(builtIns(query.expr)).filter((name) => !exported.has(name));
    const why = missing.length ? ` (never exported: ${missing.join(', ')})` : '';
    failures.push(`${query.dashboard} / ${query.where}: ${query.expr}${why}`);
  }
  console.log(`${checked} expressions executed, ${alertQueries.length} alert queries checked against loaded rules`);
  assert.ok(failures.length === 0, `${failures.length} queries returned no data:\n${failures.join('\n')}`);
});
