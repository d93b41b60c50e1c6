import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { repoRoot } from '@confeitaria/stack/dist/src/paths';
import { catalogue } from '../scenarios';
import { localProcessDriver } from '../src/runner/local-process-driver';
import { type Scenario, validateScenario } from '../src/scenario';
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
});
