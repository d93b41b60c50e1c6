/**
 * Earlier suite runs, read back from `reports/*-suite/suite.json`, so a suite report can say whether
 * resilience went up or down since last time. A folder that cannot be read is skipped, never fatal:
 * old reports may predate a field.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Lang, RunResult } from '../run-result';
import type { Scorecard } from './scorecard';

export const SUITE_SCHEMA = 'confeitaria.chaos-suite/1';

/** What suite.json holds: enough to re-render the suite and to compare a later one with it. */
export interface SuiteFile {
  schema: typeof SUITE_SCHEMA;
  createdAt: string;
  lang: Lang;
  scorecard: Scorecard;
  /** Run folders the suite combined, relative to the reports root, when known. */
  runDirs?: string[];
  runs: RunResult[];
}

export interface EarlierSuite {
  folder: string;
  createdAt: string;
  scorecard: Scorecard;
}

/** Suites in `root` created before `before`, newest first; `exclude` is the suite being written. */
export async function earlierSuites(root: string, before: string, exclude?: string): Promise<EarlierSuite[]> {
  let folders: string[];
  try {
    folders = (await readdir(root, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory() && entry.name.endsWith('-suite'))
      .map((entry) => entry.name);
  } catch {
    return [];
  }
  const found: EarlierSuite[] = [];
  for (const folder of folders) {
    if (exclude && resolve(root, folder) === resolve(exclude)) continue;
    try {
      const file = JSON.parse(await readFile(join(root, folder, 'suite.json'), 'utf8')) as Partial<SuiteFile>;
      if (file.schema !== SUITE_SCHEMA || !file.createdAt || !Array.isArray(file.scorecard?.scenarios)) continue;
      if (file.createdAt >= before) continue;
      found.push({ folder, createdAt: file.createdAt, scorecard: file.scorecard });
    } catch {
      // Not a suite we can read (half-written, older format): it simply is not compared.
    }
  }
  return found.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** A scenario's score in an earlier suite, or null when that suite did not run it. */
export const scoreIn = (suite: EarlierSuite | undefined, scenario: string): number | null =>
  suite?.scorecard.scenarios.find((s) => s.scenario === scenario)?.score ?? null;
