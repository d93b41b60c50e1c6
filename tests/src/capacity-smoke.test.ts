/**
 * The capacity harness's smoke run (`npm run capacity -- --quick`): seeded shoppers climb a two-step
 * staircase against the live stack, the stress run and the auditor follow, and the report is written
 * in both languages. A smoke's figures mean nothing, so only their presence and sanity are checked; the
 * real run is `npm run capacity` (docs/capacity.md).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CapacityResult } from '@confeitaria/bench/capacity/result';
import { repoRoot } from '@confeitaria/stack/paths';
import { ports } from '@confeitaria/stack/ports';

test('the capacity harness climbs a quick staircase, stresses, audits and writes its report', () => {
  const out = mkdtempSync(join(tmpdir(), 'capacity-smoke-'));
  const run = spawnSync(
    process.execPath,
    [join(repoRoot, 'bench', 'dist', 'src', 'capacity', 'cli.js'), '--quick', '--out', out],
    { cwd: repoRoot, encoding: 'utf8', timeout: 300_000 },
  );
  assert.equal(run.status, 0, `${run.stdout.slice(-3000)}\n${run.stderr.slice(-2000)}`);
  assert.match(run.stdout, /elapsed, ~\d+m\d+s left\] staircase: step 1\/2: 5 shoppers/, 'progress per step');
  const result = JSON.parse(readFileSync(join(out, 'capacity.json'), 'utf8')) as CapacityResult;
  assert.equal(result.schema, 'confeitaria.capacity/1');
  assert.equal(result.quick, true);
  assert.deepEqual(
    result.steps.map((s) => s.shoppers),
    [5, 10],
  );
  for (const step of result.steps) {
    assert.ok(step.requestsPerSecond > 0, `${step.shoppers} shoppers sent requests`);
    assert.ok((step.byStatus['200'] ?? 0) > 0, `${step.shoppers} shoppers got 200s: ${JSON.stringify(step.byStatus)}`);
    assert.equal(step.routes.length, 5, 'every route of the journey');
    assert.ok(
      step.cpu.some((c) => c.process === 'gateway' && c.cores > 0),
      `CPU per process: ${JSON.stringify(step.cpu)}`,
    );
    assert.ok(step.failedRatio < 0.5, `${step.shoppers} shoppers: ${step.failedRatio} failed`);
  }
  assert.ok((result.signIn?.count ?? 0) >= 10, 'every shopper signed in before the staircase');
  assert.equal(result.arrival, undefined, 'so nobody logged in on arrival');
  // Whether 10 shoppers held for 10 s meet the SLO depends on the machine: the knee's consequences are
  // checked either way.
  if (result.knee) {
    assert.equal(result.stress?.step.shoppers, 2 * result.knee.shoppers, 'stress at twice the knee');
    assert.equal(result.stress?.unexpectedErrors, 0, 'no 5xx but shedding, no missing answers');
  } else assert.equal(result.stress, undefined, 'no knee, no stress run');
  assert.equal(result.audit.ok, true, JSON.stringify(result.audit.results.filter((r) => !r.ok)));
  assert.ok(result.k6.ledgerOrders > 0, 'orders were placed');
  for (const file of ['capacity.md', 'capacity.html', 'capacity.pt-BR.md', 'capacity.pt-BR.html'])
    assert.ok(existsSync(join(out, file)), file);
  assert.equal(readdirSync(join(out, 'figures')).filter((f) => f.endsWith('.svg')).length, 4);
  assert.equal(readdirSync(join(out, 'figures', 'pt-BR')).length, 4);
  assert.match(
    readFileSync(join(out, 'capacity.pt-BR.md'), 'utf8'),
    result.knee ? /Joelho: \d+ compradores simultâneos/ : /Sem joelho: o primeiro degrau/,
  );
});

test('--shop bare measures the services without Toxiproxy and untraced, then puts the stack back', async () => {
  const out = mkdtempSync(join(tmpdir(), 'capacity-bare-'));
  const run = spawnSync(
    process.execPath,
    [
      join(repoRoot, 'bench', 'dist', 'src', 'capacity', 'cli.js'),
      '--quick',
      '--no-stress',
      '--shop',
      'bare',
      '--out',
      out,
    ],
    { cwd: repoRoot, encoding: 'utf8', timeout: 300_000 },
  );
  assert.equal(run.status, 0, `${run.stdout.slice(-3000)}\n${run.stderr.slice(-2000)}`);
  const result = JSON.parse(readFileSync(join(out, 'capacity.json'), 'utf8')) as CapacityResult;
  assert.equal(result.profile.shop, 'bare');
  assert.match(result.command, /--shop bare/);
  for (const step of result.steps) {
    assert.ok((step.byStatus['200'] ?? 0) > 0, `${step.shoppers} shoppers got 200s: ${JSON.stringify(step.byStatus)}`);
    const processes = step.cpu.map((c) => c.process);
    assert.ok(processes.includes('bench-gateway'), `the benchmark's gateway served them: ${processes.join(', ')}`);
    assert.ok(!processes.includes('gateway'), "the stack's gateway was stopped meanwhile");
  }
  // The instances' metrics reach Prometheus too: the orders they finished are counted.
  assert.ok(
    result.steps.some((step) => step.ordersCompletedPerSecond > 0),
    `orders completed: ${result.steps.map((s) => s.ordersCompletedPerSecond).join(', ')}`,
  );
  assert.equal(result.audit.ok, true, JSON.stringify(result.audit.results.filter((r) => !r.ok)));
  assert.match(readFileSync(join(out, 'capacity.md'), 'utf8'), /without Toxiproxy and without tracing/);
  // The stack's own services are back.
  const ready = await fetch(`http://127.0.0.1:${ports.gatewayManagement}/readyz`);
  assert.equal(ready.status, 200);
});
