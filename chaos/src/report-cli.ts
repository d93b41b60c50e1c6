/**
 * `npm run report -- <run folder> [more folders] [--lang pt-BR] [--out dir]`
 * One run folder (holding run.json) re-renders that run in place, or into --out. Several folders, or
 * a suite folder (holding suite.json), render a suite report into `reports/<stamp>-suite/` or --out.
 * `npm run report -- compare <A> <B>`: two trials folders (`--trials` runs, holding trials.json) or
 * run folders, compared metric by metric into `reports/<stamp>-compare/` or --out.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { renderComparison } from './report/compare';
import { renderRun, renderSuite } from './report/render';
import type { SuiteFile } from './report/suite-history';
import type { Lang, RunResult } from './run-result';

const usage = [
  'usage: npm run report -- <run folder> [more folders] [--lang en|pt-BR] [--out dir]',
  '       npm run report -- compare <trials or run folder A> <trials or run folder B> [--lang en|pt-BR] [--out dir]',
].join('\n');

interface Loaded {
  runs: RunResult[];
  runDirs: string[];
  suite?: SuiteFile;
}

async function load(folder: string): Promise<Loaded> {
  if (existsSync(join(folder, 'run.json'))) {
    const run = JSON.parse(await readFile(join(folder, 'run.json'), 'utf8')) as RunResult;
    if (run.schema !== 'confeitaria.chaos-run/1')
      throw new Error(`${folder}/run.json is not a chaos run (schema ${run.schema})`);
    return { runs: [run], runDirs: [folder] };
  }
  if (existsSync(join(folder, 'suite.json'))) {
    const suite = JSON.parse(await readFile(join(folder, 'suite.json'), 'utf8')) as SuiteFile;
    const root = dirname(resolve(folder));
    const runDirs = suite.runDirs?.map((dir) => resolve(root, dir)) ?? [];
    return { runs: suite.runs, runDirs, suite };
  }
  throw new Error(`${folder} holds neither run.json nor suite.json`);
}

const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');

/** The runs of one side of a comparison: every trial of a trials folder, or the one run of a run folder. */
async function trialsOf(folder: string): Promise<RunResult[]> {
  if (existsSync(join(folder, 'trials.json'))) {
    const file = JSON.parse(await readFile(join(folder, 'trials.json'), 'utf8')) as {
      schema: string;
      trialFolders?: string[];
    };
    if (file.schema !== 'confeitaria.chaos-trials/1') throw new Error(`${folder}/trials.json is not a trials file`);
    const runs = await Promise.all((file.trialFolders ?? []).map((trial) => load(resolve(folder, trial))));
    return runs.flatMap((loaded) => loaded.runs);
  }
  return (await load(folder)).runs;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { lang: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help || positionals.length === 0) {
    process.stdout.write(`${usage}\n`);
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  if (values.lang !== undefined && values.lang !== 'en' && values.lang !== 'pt-BR')
    throw new Error(`--lang must be en or pt-BR\n${usage}`);
  const lang = values.lang as Lang | undefined;
  if (positionals[0] === 'compare') {
    const [, a, b, ...rest] = positionals;
    if (!a || !b || rest.length) throw new Error(`compare takes two folders\n${usage}`);
    const reportsRoot = existsSync('reports') ? resolve('reports') : dirname(resolve(a));
    const out = values.out ?? join(reportsRoot, `${stamp()}-compare`);
    const files = await renderComparison(await trialsOf(a), await trialsOf(b), out, {
      lang: lang ?? 'en',
      labels: { a, b },
    });
    process.stdout.write(`comparison written:\n  ${files.html}\n  ${files.markdown}\n  ${files.json}\n`);
    for (const metric of files.comparison.metrics.slice(0, 7)) {
      const p = metric.mannWhitney ? ` (U ${metric.mannWhitney.u}, p ${metric.mannWhitney.p.toFixed(3)})` : '';
      process.stdout.write(`  ${metric.label.en.padEnd(34)} ${metric.reading}${p}\n`);
    }
    return;
  }
  const loaded = await Promise.all(positionals.map(load));
  const single = loaded.length === 1 && loaded[0] && !loaded[0].suite ? loaded[0] : undefined;
  if (single?.runs[0]) {
    const files = await renderRun(single.runs[0], values.out ?? positionals[0] ?? '.', { lang });
    process.stdout.write(`report written:\n  ${files.html}\n  ${files.markdown}\n  ${files.json}\n`);
    return;
  }
  const runs = loaded.flatMap((l) => l.runs);
  // Earlier suites live in the repository's reports/ (npm runs scripts from the repository root).
  const reportsRoot = existsSync('reports') ? resolve('reports') : dirname(resolve(positionals[0] ?? '.'));
  const rerender = loaded.length === 1 ? loaded[0]?.suite : undefined;
  const out = values.out ?? (rerender ? positionals[0] : undefined) ?? join(reportsRoot, `${stamp()}-suite`);
  const runDirs = loaded.flatMap((l) => l.runDirs);
  const files = await renderSuite(runs, out, {
    lang,
    reportsRoot,
    runDirs: runDirs.length === runs.length ? runDirs : undefined,
    createdAt: rerender?.createdAt,
  });
  process.stdout.write(
    `suite report written (${runs.length} runs):\n  ${files.html}\n  ${files.markdown}\n  ${files.json}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
