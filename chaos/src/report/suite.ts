/**
 * Renders several runs as a suite: the scorecard, the comparison with the suites already in the
 * reports folder, and links to each run's own report (given, or found as `<suite>/<scenario>/`).
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import type { Lang, RunResult } from '../run-result';
import { suiteBib } from './bibtex';
import { type RenderedFiles, writeDocument } from './document-writer';
import { scorecard } from './scorecard';
import { buildSuiteDocument } from './suite-document';
import { earlierSuites, SUITE_SCHEMA, type SuiteFile } from './suite-history';

export interface SuiteOptions {
  lang?: Lang;
  /** Where earlier suites are looked for (default: the folder that holds `dir`). */
  reportsRoot?: string;
  /** The run folders, in `results` order, so the suite links each run's report. */
  runDirs?: string[];
  /** When the suite was made (ISO); given when re-rendering a stored suite, else now. */
  createdAt?: string;
}

/** Renders several runs as a suite into `dir` (suite.md, .html and .pdf, suite.json, suite.bib, figures/). */
export async function renderSuite(
  results: RunResult[],
  dir: string,
  options: SuiteOptions = {},
): Promise<RenderedFiles> {
  const lang = options.lang ?? results[0]?.config.lang ?? 'en';
  const root = options.reportsRoot ?? dirname(resolve(dir));
  const createdAt = options.createdAt ?? new Date().toISOString();
  const card = scorecard(results);
  const earlier = await earlierSuites(root, createdAt, dir);
  // The runner writes a suite's runs inside it (`<suite>/<scenario>/`): find them when not told.
  const runDirs =
    options.runDirs ??
    (results.every((r) => existsSync(join(dir, r.scenario.name, 'report.html')))
      ? results.map((r) => join(dir, r.scenario.name))
      : undefined);
  const reportLinks = runDirs?.map((runDir) =>
    relative(resolve(dir), resolve(runDir, 'report.html')).split('\\').join('/'),
  );
  const doc = buildSuiteDocument({ results, card, earlier, createdAt, reportLinks }, lang);
  const written = await writeDocument(doc, dir, 'suite', { bib: suiteBib(results, createdAt, lang) });
  const file: SuiteFile = {
    schema: SUITE_SCHEMA,
    createdAt,
    lang,
    scorecard: card,
    runDirs: runDirs?.map((runDir) => relative(root, resolve(runDir)).split('\\').join('/')),
    runs: results,
  };
  const json = join(dir, 'suite.json');
  await writeFile(json, `${JSON.stringify(file, null, 2)}\n`);
  return { ...written, json };
}
