/**
 * Writes reports to disk. A run folder gets report.md, report.html, report.pdf, run.json, run.bib,
 * method.md, method.tex and figures/ (each figure as .svg and .pdf); a suite folder gets suite.md,
 * suite.html, suite.pdf, suite.json, suite.bib and its figures (see suite.ts). run.json is the
 * runner's RunResult as is, so any run can be re-rendered from it.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Lang, RunResult } from '../run-result';
import { runBib } from './bibtex';
import { type RenderedFiles, writeDocument } from './document-writer';
import { runMethod } from './method';
import { buildRunDocument } from './run-document';

export type { RenderedFiles } from './document-writer';
export { renderSuite, type SuiteOptions } from './suite';

/** Renders one run into `dir` (report.md, .html and .pdf, run.json, run.bib, method.md and .tex, figures/). */
export async function renderRun(result: RunResult, dir: string, options: { lang?: Lang } = {}): Promise<RenderedFiles> {
  const lang = options.lang ?? result.config.lang ?? 'en';
  const written = await writeDocument(buildRunDocument(result, lang), dir, 'report', {
    bib: runBib(result, lang),
    method: runMethod(result, lang),
  });
  const json = join(dir, 'run.json');
  await writeFile(json, `${JSON.stringify(result, null, 2)}\n`);
  return { ...written, json };
}
