import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { repoRoot } from '@confeitaria/stack/paths';
import { catalogue } from '../scenarios';
import { localProcessDriver } from '../src/runner/local-process-driver';
import { type MethodStep, type Scenario, validateScenario } from '../src/scenario';
import { seededRandom } from '../src/seeded-random';

const proxies = (
  JSON.parse(readFileSync(join(repoRoot, 'chaos', 'proxies.json'), 'utf8')) as { proxies: { name: string }[] }
).proxies.map((proxy) => proxy.name);
const known = { proxies, processes: localProcessDriver.names() };
const methodOf = (scenario: Scenario, random = Math.random) =>
  typeof scenario.method === 'function' ? scenario.method(random) : scenario.method;

describe('the scenario catalogue', () => {
  test('has at least the ten scenarios the design names, each valid against the real proxies and processes', () => {
    const names = catalogue.map((scenario) => scenario.name);
    for (const name of [
      'db-latency',
      'catalog-primary-down',
      'broker-outage',
      'cache-outage',
      'payments-crash',
      'catalog-instance-loss',
      'dependency-timeout',
      'connection-reset',
      'bandwidth-squeeze',
      'game-day',
    ]) {
      assert.ok(names.includes(name), `${name} is in the catalogue`);
    }
    assert.equal(new Set(names).size, names.length, 'names are unique');
    for (const scenario of catalogue) validateScenario(scenario, methodOf(scenario), known);
  });

  test('uses every kind of Toxiproxy toxic, proxy disabling, and process kill and pause', () => {
    const kinds = new Set<string>(
      catalogue.flatMap((scenario) =>
        methodOf(scenario).map((step) => (step.fault.kind === 'toxic' ? step.fault.toxic.type : step.fault.kind)),
      ),
    );
    // game day draws: collect over many seeds so every pool entry shows up.
    const gameDay = catalogue.find((scenario) => scenario.name === 'game-day') as Scenario;
    for (let seed = 1; seed < 200; seed++) {
      for (const step of methodOf(gameDay, seededRandom(seed))) {
        kinds.add(step.fault.kind === 'toxic' ? step.fault.toxic.type : step.fault.kind);
      }
    }
    for (const kind of [
      'latency',
      'bandwidth',
      'slow_close',
      'timeout',
      'reset_peer',
      'slicer',
      'limit_data',
      'disable',
      'kill',
      'pause',
    ]) {
      assert.ok(kinds.has(kind), `some scenario uses ${kind}`);
    }
  });

  test('the README catalogue table lists every scenario with what it proves', () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    for (const scenario of catalogue) {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${scenario.name}\` |`));
      assert.ok(row, `README has a catalogue row for ${scenario.name}`);
      assert.ok(row.includes(scenario.proves.en), `${scenario.name}'s row says what it proves: ${scenario.proves.en}`);
      assert.ok(
        row.includes(`${scenario.load.script} ${scenario.load.rate}/s`),
        `${scenario.name}'s row names its load`,
      );
    }
  });

  test('a game day is reproducible: the same seed draws the same faults', () => {
    const gameDay = catalogue.find((scenario) => scenario.name === 'game-day') as Scenario;
    const draw = (seed: number) => JSON.stringify(methodOf(gameDay, seededRandom(seed)));
    assert.equal(draw(42), draw(42));
    assert.notEqual(draw(42), draw(43));
  });

  test('validation names the problem: an unknown proxy, an unknown process, a step that ends before it starts', () => {
    const base = catalogue[0] as Scenario;
    assert.throws(
      () => validateScenario(base, [{ at: 0, fault: { kind: 'disable', proxies: ['orders-mongodb'] } }], known),
      /unknown proxy orders-mongodb/,
    );
    assert.throws(
      () => validateScenario(base, [{ at: 0, fault: { kind: 'kill', process: 'postgres' } }], known),
      /unknown process postgres/,
    );
    assert.throws(
      () => validateScenario(base, [{ at: 0.5, until: 0.2, fault: { kind: 'kill', process: 'payments' } }], known),
      /must end after it starts/,
    );
  });

  test('every scenario whose faults touch a write path probes a write, and judges it after the faults', () => {
    // Only the replica serves nothing but reads; every other proxy or process carries a write somewhere.
    const readOnly = new Set(['catalog-postgres-replica', 'postgres-replica']);
    const targets = (step: MethodStep) =>
      step.fault.kind === 'toxic' || step.fault.kind === 'disable' ? step.fault.proxies : [step.fault.process];
    // A write is a client's POST/PUT/DELETE (k6 request names) or a counter of what the shop wrote.
    const writes =
      /name="(POST|PUT|DELETE) |catalog_reservations_total|orders_(finished|accepted)_total|payments_total/;
    for (const scenario of catalogue) {
      const methods =
        typeof scenario.method === 'function'
          ? Array.from({ length: 50 }, (_, seed) => methodOf(scenario, seededRandom(seed + 1)))
          : [methodOf(scenario)];
      const touchesWrites = methods.some((method) =>
        method.some((step) => targets(step).some((t) => !readOnly.has(t))),
      );
      if (!touchesWrites) continue;
      const probes = scenario.probes.filter((probe) => writes.test(probe.query) && probe.tolerances.recovery);
      assert.ok(probes.length > 0, `${scenario.name} touches a write path: some probe reads writes in recovery`);
    }
  });

  test('the write probes read series the load really makes: an admin writer where they need one', () => {
    for (const scenario of catalogue) {
      const readsAdminWrites = scenario.probes.some((probe) => probe.query.includes('PUT /api/products/:id/stock'));
      assert.equal(
        readsAdminWrites,
        (scenario.load.adminRate ?? 0) > 0,
        `${scenario.name}: admin writes probed iff made`,
      );
      const readsOrders = scenario.probes.some((probe) => /name="POST \/api\/(orders|cart\/items)"/.test(probe.query));
      if (readsOrders) assert.equal(scenario.load.script, 'journey', `${scenario.name}: only the journey orders`);
    }
  });
});
