/**
 * docs/telemetry.md lists every metric and span attribute our code emits: this test reads the source
 * and the page and fails on anything in one but not the other.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '@confeitaria/stack/paths';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return entry === 'node_modules' || entry === 'dist' ? [] : sources(path);
    return path.endsWith('.ts') || path.endsWith('.tsx') ? [path] : [];
  });
}

const servicesRoot = join(repoRoot, 'services');
// The services, the chaos runner (its fault signal is part of the contract the dashboards read), the
// local stack (its supervisor's restart counters are on the Infrastructure dashboard) and the
// storefront (its spans continue into the gateway's).
const code = [
  ...readdirSync(servicesRoot).map((service) => join(servicesRoot, service, 'src')),
  join(repoRoot, 'chaos', 'src'),
  join(repoRoot, 'stack', 'src'),
  join(repoRoot, 'web', 'src'),
]
  .flatMap((dir) => sources(dir))
  .map((file) => readFileSync(file, 'utf8'))
  .join('\n');
const page = readFileSync(join(repoRoot, 'docs', 'telemetry.md'), 'utf8');

// prom-client's `new Gauge({ name: ... })`, and the OTel meter's `createGauge('...')` (the chaos runner).
const metricsInCode = new Set([
  ...[...code.matchAll(/new (?:Counter|Gauge|Histogram)\(\{\s*name: '([a-z][a-z0-9_:]*)'/g)].map((m) => m[1] as string),
  ...[
    ...code.matchAll(/\.create(?:Observable)?(?:Counter|UpDownCounter|Gauge|Histogram)\(\s*'([a-z][a-z0-9_:]*)'/g),
  ].map((m) => m[1] as string),
]);
// Set one by one (setAttribute) or given when a span starts (`attributes: { 'http.request.method': ... }`).
const attributesInCode = new Set([
  ...[...code.matchAll(/setAttribute\('([a-z][a-z0-9_.]*)'/g)].map((m) => m[1] as string),
  ...[...code.matchAll(/\battributes: \{([^}]*)\}/g)].flatMap((m) =>
    [...(m[1] as string).matchAll(/'([a-z][a-z0-9_.]*)':/g)].map((key) => key[1] as string),
  ),
]);
const documented = (section: string) => {
  const body = page.split(`## ${section}`)[1]?.split('\n## ')[0] ?? '';
  return new Set([...body.matchAll(/^\| `([a-z][a-z0-9_.:]*)` \|/gm)].map((m) => m[1] as string));
};

test('every metric in the code is documented, and every documented metric exists', () => {
  assert.ok(metricsInCode.size >= 15, `found ${metricsInCode.size} metrics in the code`);
  const table = documented('Metrics');
  assert.deepEqual(
    [...metricsInCode].filter((name) => !table.has(name)),
    [],
    'undocumented metrics',
  );
  assert.deepEqual(
    [...table].filter((name) => !metricsInCode.has(name)),
    [],
    'documented but not in the code',
  );
});

test('every span attribute our code sets is documented, and nothing else is', () => {
  const table = documented('Span attributes set by our code');
  assert.deepEqual(
    [...attributesInCode].filter((name) => !table.has(name)),
    [],
    'undocumented attributes',
  );
  assert.deepEqual(
    [...table].filter((name) => !attributesInCode.has(name)),
    [],
    'documented but not set',
  );
});
