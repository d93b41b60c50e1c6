/**
 * Writes reports to disk. A run folder gets report.md, report.html, run.json and figures/*.svg; a
 * suite folder gets suite.md, suite.html, suite.json and its figures (see suite.ts). run.json is the
 * runner's RunResult as is, so any run can be re-rendered from it.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Lang, RunResult } from '../run-result';
import { type RenderedFiles, writeDocument } from './document-writer';
import { buildRunDocument } from './run-document';

export type { RenderedFiles } from './document-writer';
export { renderSuite, type SuiteOptions } from './suite';

/** Renders one run into `dir` (report.md, report.html, run.json, figures/). */
export async function renderRun(result: RunResult, dir: string, options: { lang?: Lang } = {}): Promise<RenderedFiles> {
  const lang = options.lang ?? result.config.lang ?? 'en';
  const written = await writeDocument(buildRunDocument(result, lang), dir, 'report');
  const json = join(dir, 'run.json');
  await writeFile(json, `${JSON.stringify(result, null, 2)}\n`);
  return { ...written, json };
}
