/**
 * `npm run bench [-- --parts telemetry,read-path,pipeline,footprint,scaling] [--quick] [--no-restart]`
 * The benchmark harness: each part measures the shop against a reference taken in the same run
 * (telemetry off, a bare server, pgbench, one instance), so the ratios hold on a shared machine whose
 * absolute figures drift. Default run: under 10 minutes; --quick (CI's smoke): about a minute, figures
 * not meaningful, report shape the same. Writes reports/bench/<stamp>/bench.{json,md} and figures/.
 */
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '@confeitaria/stack/paths';
import { components, up } from '@confeitaria/stack/stack';
import { type BenchResult, targets, writeBenchReport } from './bench-report';
import type { BenchContext } from './context';
import { footprint } from './footprint';
import { stopInstances } from './instances';
import { orderPipeline } from './pipeline';
import { BenchProgress } from './progress';
import { readPath } from './read-path';
import { scaling } from './scaling';
import { telemetryOverhead } from './telemetry-overhead';

const allParts = ['footprint', 'telemetry', 'read-path', 'pipeline', 'scaling'] as const;
type Part = (typeof allParts)[number];

const { values } = parseArgs({
  options: {
    parts: { type: 'string', default: allParts.join(',') },
    quick: { type: 'boolean', default: false },
    'no-restart': { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});

function commit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<number> {
  const parts = (values.parts ?? '').split(',').map((part) => part.trim()) as Part[];
  const unknown = parts.filter((part) => !allParts.includes(part));
  if (unknown.length) throw new Error(`unknown part(s) ${unknown.join(', ')}; parts: ${allParts.join(', ')}`);
  const quick = values.quick ?? false;
  const seconds = quick ? 3 : 10;
  const rounds = quick ? 1 : 5;
  // Planned seconds per part, for the time-left estimate.
  const plan: Record<Part, number> = {
    footprint: 40 + seconds * 2,
    telemetry: 10 + rounds * 4 * seconds + 4 * 3,
    'read-path': 10 + 3 * seconds,
    pipeline: seconds * (quick ? 5 : 11) + 60,
    scaling: 10 + 4 * seconds,
  };
  const progress = new BenchProgress(parts.reduce((sum, part) => sum + plan[part], 0));
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const outDir = values.out ?? join(repoRoot, 'reports', 'bench', stamp);
  const context: BenchContext = { outDir, progress, seconds, rounds, vus: 8, quick };
  const healthy = (await Promise.all(components().map((c) => c.health()))).every((h) => h.ok);
  if (!healthy) await up();
  const result: BenchResult = {
    schema: 'confeitaria.bench/1',
    startedAt: new Date().toISOString(),
    endedAt: '',
    quick,
    machine: {
      cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      commit: commit(),
    },
  };
  const stop = () => void stopInstances().finally(() => process.exit(130));
  process.once('SIGINT', stop);
  try {
    // Footprint first: it restarts the stack, and the other parts then run on a fresh one.
    if (parts.includes('footprint')) result.footprint = await footprint(context, !values['no-restart']);
    if (parts.includes('telemetry')) result.telemetry = await telemetryOverhead(context);
    if (parts.includes('read-path')) result.readPath = await readPath(context);
    if (parts.includes('pipeline')) result.pipeline = await orderPipeline(context);
    if (parts.includes('scaling')) {
      const offered = result.pipeline
        ? Math.max(10, Math.round(result.pipeline.sustainedOrdersPerSecond * 1.5))
        : quick
          ? 10
          : 60;
      result.scaling = await scaling(context, offered);
    }
  } finally {
    await stopInstances();
  }
  result.endedAt = new Date().toISOString();
  const written = writeBenchReport(result, outDir);
  console.log('\nTargets:');
  for (const target of targets(result)) {
    console.log(`  ${target.met ? '✓' : '✗'} ${target.what}: ${target.measured} (target ${target.target})`);
  }
  console.log(`\nreport: ${written.markdown}\n        ${written.json}`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    console.error(`\n✗ bench failed: ${error.message}`);
    process.exitCode = 1;
  },
);
