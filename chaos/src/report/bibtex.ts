/**
 * A BibTeX entry per report, to cite a run in a thesis (issue 17.6): run.bib in a run folder, and
 * suite.bib, trials.bib, suite-trials.bib, compare.bib beside those reports. `@misc` with the fields
 * every bibliography style knows; values are LaTeX (latex.ts: a title or a command with %, _ or &
 * compiles) and the key is lower-case letters, digits and hyphens, safe in `\cite{}` and in labels.
 */
import type { Lang, RunResult } from '../run-result';
import type { Comparison } from './compare';
import { fillInline, type Inline } from './document';
import { formatUtc } from './format';
import { fill, strings } from './i18n';
import { texLine } from './latex';

export interface BibEntry {
  key: string;
  title: Inline[];
  /** When the cited thing was made (ISO time): the entry's year and month. */
  date: string;
  howpublished: Inline[];
  note: Inline[];
}

export const bibAuthor = 'Confeitaria chaos runner';

const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** `2026-11-24T09:59:58.000Z` as `20261124T095958` (UTC), the stamp in a key. */
export const bibStamp = (iso: string) => new Date(iso).toISOString().slice(0, 19).replace(/[-:]/g, '');

/** `confeitaria-<part>-<part>…`, each part reduced to lower-case letters, digits and single hyphens. */
export const bibKey = (...parts: string[]) =>
  ['confeitaria', ...parts]
    .map((part) =>
      part
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, ''),
    )
    .filter(Boolean)
    .join('-');

/** The entry as BibTeX text. The title is braced twice so styles keep its capitals. */
export function bibtex(entry: BibEntry): string {
  const date = new Date(entry.date);
  return `@misc{${entry.key},
  title = {{${texLine(entry.title)}}},
  author = {{${bibAuthor}}},
  year = {${date.getUTCFullYear()}},
  month = ${months[date.getUTCMonth()]},
  howpublished = {${texLine(entry.howpublished)}},
  note = {${texLine(entry.note)}},
}
`;
}

const commitOf = (result: RunResult | undefined) => result?.environment.gitCommit.split(' ')[0] ?? '—';

export function runBib(result: RunResult, lang: Lang): BibEntry {
  const s = strings(lang);
  return {
    key: bibKey(result.scenario.name, bibStamp(result.startedAt)),
    title: [fill(s.bibRunTitle, { title: result.scenario.title[lang], scenario: result.scenario.name })],
    date: result.startedAt,
    howpublished: [fill(s.bibPublished, { files: 'report.pdf, report.html, run.json' })],
    note: fillInline(s.bibRunNote, {
      commit: { code: commitOf(result) },
      seed: result.config.seed,
      started: formatUtc(result.startedAt),
      command: { code: result.command },
    }),
  };
}

export function trialsBib(results: RunResult[], lang: Lang): BibEntry | undefined {
  const first = results[0];
  if (!first) return undefined;
  const s = strings(lang);
  return {
    key: bibKey(first.scenario.name, 'trials', bibStamp(first.startedAt)),
    title: [
      fill(s.bibTrialsTitle, {
        title: first.scenario.title[lang],
        scenario: first.scenario.name,
        trials: results.length,
      }),
    ],
    date: first.startedAt,
    howpublished: [fill(s.bibPublished, { files: 'trials.pdf, trials.html, trials.json' })],
    note: fillInline(s.bibRunNote, {
      commit: { code: commitOf(first) },
      seed: first.config.seed,
      started: formatUtc(first.startedAt),
      command: { code: `${first.command} --trials ${results.length}` },
    }),
  };
}

/** A suite (`base` suite) or a suite of trials (`base` suite-trials) of `results`. */
export function suiteBib(
  results: RunResult[],
  createdAt: string,
  lang: Lang,
  base: 'suite' | 'suite-trials' = 'suite',
): BibEntry {
  const s = strings(lang);
  const scenarios = [...new Set(results.map((r) => r.scenario.name))];
  const seeds = [...new Set(results.map((r) => r.config.seed))];
  return {
    key: bibKey(base, bibStamp(createdAt)),
    title: [fill(base === 'suite' ? s.bibSuiteTitle : s.bibSuiteTrialsTitle, { count: scenarios.length })],
    date: createdAt,
    howpublished: [fill(s.bibPublished, { files: `${base}.pdf, ${base}.html, ${base}.json` })],
    note: fillInline(s.bibSuiteNote, {
      commit: { code: [...new Set(results.map(commitOf))].join(', ') },
      seeds: seeds.join(', '),
      scenarios: scenarios.join(', '),
      created: formatUtc(createdAt),
    }),
  };
}

export function compareBib(comparison: Comparison, results: RunResult[], createdAt: string, lang: Lang): BibEntry {
  const s = strings(lang);
  const { a, b } = comparison;
  return {
    key: bibKey('compare', a.scenario, b.scenario, bibStamp(createdAt)),
    title: [fill(s.bibCompareTitle, { a: a.label, b: b.label })],
    date: createdAt,
    howpublished: [fill(s.bibPublished, { files: 'compare.pdf, compare.html, compare.json' })],
    note: fillInline(s.bibCompareNote, {
      a: a.label,
      b: b.label,
      scenarioA: a.scenario,
      scenarioB: b.scenario,
      validA: a.valid,
      validB: b.valid,
      commit: { code: [...new Set(results.map(commitOf))].join(', ') },
      created: formatUtc(createdAt),
    }),
  };
}
