/**
 * The dashboards as code, checked without a stack: shape rules every panel must follow, deterministic
 * rendering, and the generator's `--check` logic. That every query returns data is the stack test's
 * job (tests/src/dashboards.test.ts).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { type DashboardJson, dashboardQueries, renderAll, staleDashboards, writeDashboards } from '../src';

interface Target {
  refId?: string;
  expr?: string;
  exemplar?: boolean;
  datasource?: { uid?: string };
}
interface Panel {
  id?: number;
  type: string;
  title?: string;
  description?: string;
  datasource?: { uid?: string };
  targets?: Target[];
  panels?: Panel[];
}

const dashboards = renderAll().map((rendered) => ({
  ...rendered,
  parsed: JSON.parse(rendered.json) as DashboardJson & { panels: Panel[]; templating?: { list?: { name: string }[] } },
}));
const flatten = (panels: Panel[]): Panel[] => panels.flatMap((panel) => [panel, ...flatten(panel.panels ?? [])]);

test('the six dashboards have the fixed uids, one JSON file each', () => {
  assert.deepEqual(
    dashboards.map((d) => d.uid),
    ['overview', 'service', 'order-pipeline', 'infrastructure', 'slo', 'k6'],
  );
  for (const { uid, file } of dashboards) assert.equal(file, `${uid}.json`);
});

test('every panel is described, queries the Prometheus datasource by uid, and has unique ids and refIds', () => {
  for (const { uid, parsed } of dashboards) {
    const panels = flatten(parsed.panels);
    const ids = panels.map((panel) => panel.id);
    assert.equal(new Set(ids).size, ids.length, `${uid}: panel ids are unique`);
    for (const panel of panels.filter((p) => p.type !== 'row')) {
      const where = `${uid} / ${panel.title}`;
      assert.ok(panel.description, `${where}: has a description`);
      assert.equal(panel.datasource?.uid, 'prometheus', `${where}: panel datasource`);
      assert.ok(panel.targets?.length, `${where}: has queries`);
      const refIds = (panel.targets ?? []).map((target) => target.refId);
      assert.equal(new Set(refIds).size, refIds.length, `${where}: refIds are unique`);
      for (const target of panel.targets ?? []) {
        assert.equal(target.datasource?.uid, 'prometheus', `${where}: target datasource`);
        assert.ok(target.expr, `${where}: target has an expression`);
      }
    }
  }
});

test('latency panels over exemplar-carrying histograms show exemplars', () => {
  const withExemplars = /histogram_quantile\(.*(http_server_request_duration_seconds|order_completion_seconds)_bucket/;
  let checked = 0;
  for (const { uid, parsed } of dashboards) {
    for (const panel of flatten(parsed.panels)) {
      for (const target of panel.targets ?? []) {
        if (!target.expr || !withExemplars.test(target.expr) || panel.type !== 'timeseries') continue;
        checked++;
        assert.equal(target.exemplar, true, `${uid} / ${panel.title}: exemplars on`);
      }
    }
  }
  assert.ok(checked >= 5, `latency panels found: ${checked}`);
});

test('every $variable an expression uses is defined by its dashboard', () => {
  for (const { uid, parsed } of dashboards) {
    const defined = new Set((parsed.templating?.list ?? []).map((variable) => variable.name));
    for (const query of dashboardQueries(parsed)) {
      for (const [, name] of query.expr.matchAll(/\$\{?(\w+)/g)) {
        if (name?.startsWith('__')) continue; // Grafana's own: $__rate_interval, $__interval, ...
        assert.ok(defined.has(name as string), `${uid} / ${query.where}: $${name} is defined`);
      }
    }
  }
});

test('rendering is deterministic, with sorted keys and a trailing newline', () => {
  const again = renderAll();
  for (const [index, { json, uid }] of dashboards.entries()) {
    assert.equal(again[index]?.json, json, `${uid} renders the same twice`);
    assert.ok(json.endsWith('}\n'), `${uid}: trailing newline`);
    const keys = Object.keys(JSON.parse(json));
    assert.deepEqual(keys, [...keys].sort(), `${uid}: top-level keys sorted`);
  }
});

const scratch = mkdtempSync(join(tmpdir(), 'grafana-dashboards-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

test('the check names files that are missing, edited by hand or orphaned, and writing fixes all three', () => {
  assert.deepEqual(staleDashboards(scratch), dashboards.map((d) => d.file).sort(), 'all missing at first');
  writeDashboards(scratch);
  assert.deepEqual(staleDashboards(scratch), [], 'up to date after writing');

  const edited = join(scratch, 'slo.json');
  writeFileSync(edited, readFileSync(edited, 'utf8').replace('"SLO"', '"SLO (edited)"'));
  writeFileSync(join(scratch, 'retired.json'), '{}\n');
  assert.deepEqual(staleDashboards(scratch), ['retired.json', 'slo.json']);

  writeDashboards(scratch);
  assert.deepEqual(staleDashboards(scratch), [], 'rewritten, orphan removed');
});
