/**
 * The benchmark harness's smoke run (`npm run bench -- --quick`): every part runs against the live
 * stack, end to end, and writes a report of the right shape. The figures of a 3-second smoke mean
 * nothing, so only their presence and sanity are checked; the real run is `npm run bench`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { BenchResult, Target } from '@confeitaria/bench/bench-report';
import { repoRoot } from '@confeitaria/stack/paths';

const positive = (value: number, what: string) => assert.ok(Number.isFinite(value) && value > 0, `${what} = ${value}`);

test('the benchmark harness runs every part in a quick smoke and writes its report', () => {
  const out = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
  const run = spawnSync(
    process.execPath,
    [join(repoRoot, 'bench', 'dist', 'src', 'cli.js'), '--quick', '--no-restart', '--out', out],
    {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 300_000,
    },
  );
  assert.equal(run.status, 0, `${run.stdout.slice(-3000)}\n${run.stderr.slice(-2000)}`);
  assert.match(run.stdout, /elapsed, ~\d+m\d+s left\]/, 'progress with time left');
  const result = JSON.parse(readFileSync(join(out, 'bench.json'), 'utf8')) as BenchResult & { targets: Target[] };
  assert.equal(result.schema, 'confeitaria.bench/1');
  assert.equal(result.quick, true);
  assert.deepEqual(
    result.telemetry?.map((e) => e.endpoint),
    ['GET /api/products', 'POST /api/orders'],
  );
  for (const e of result.telemetry ?? []) {
    positive(e.on.rps, `${e.endpoint} on`);
    positive(e.off.rps, `${e.endpoint} off`);
    positive(e.throughputRatio, `${e.endpoint} ratio`);
    assert.ok(e.on.failed < 0.01 && e.off.failed < 0.01, `${e.endpoint} answered 2xx`);
  }
  positive(result.readPath?.bare.rps ?? 0, 'bare server');
  positive(result.readPath?.gatewayRatio ?? 0, 'gateway ÷ bare');
  assert.ok((result.readPath?.gatewayCpu.length ?? 0) > 0, 'gateway CPU profile summarised');
  positive(result.pipeline?.pgbenchOrdersPerSecond ?? 0, 'pgbench');
  assert.ok((result.pipeline?.steps.length ?? 0) > 0, 'pipeline steps');
  assert.ok((result.pipeline?.timeShares.length ?? 0) > 0, 'time shares from traces');
  positive(result.footprint?.idleTotalMiB ?? 0, 'idle RSS');
  assert.ok((result.footprint?.components.length ?? 0) >= 18, 'every component measured');
  positive(result.scaling?.readsPerSecond.two ?? 0, 'reads with two instances');
  assert.ok(result.targets.length >= 7, 'targets listed');
  assert.ok(existsSync(join(out, 'bench.md')));
  assert.ok(readdirSync(join(out, 'figures')).length >= 4, 'figures');
});
