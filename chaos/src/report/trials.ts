/**
 * Repeated trials of one scenario (`chaos:scenario -- <name> --trials N`): per metric, the mean and the
 * median over the valid trials with 95 % intervals (stats/statistics.ts), the spread, and how many
 * trials an interval of ± 10 % of the mean would need. A trial that was not judged (INVALID) or was cut
 * short (ABORTED) is listed with its reason and left out of every figure: shown, never averaged.
 * Written as trials.md, trials.html and trials.json beside the trials' own folders.
 */
import { writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { I18n, Lang, RunResult } from '../run-result';
import { type Interval, type Summary, summarize, trialsForHalfWidth } from '../stats/statistics';
import { suiteBib, trialsBib } from './bibtex';
import { type Cell, DocumentBuilder, type ReportDocument } from './document';
import { type RenderedFiles, writeDocument } from './document-writer';
import { formatNumber } from './format';
import { fill, type ReportKey, strings } from './i18n';
import { trialsMethod } from './method';
import { scoreRun } from './scorecard';

export const TRIALS_SCHEMA = 'confeitaria.chaos-trials/1';

/** The width the "trials needed" column plans for: ± this share of the mean. */
export const plannedHalfWidth = 0.1;

export interface TrialMetric {
  /** Stable id, e.g. `timeToRecoverS`, `probe:gateway_p95:fault`. */
  id: string;
  label: I18n;
  unit: string;
  /** One value per valid trial that measured it, in trial order. */
  values: number[];
  summary: Summary | null;
  /** Trials for a t interval of ± 10 % of the mean at this spread; null when the mean is 0 or unknown. */
  trialsForTenPercent: number | null;
}

export interface TrialsSummary {
  scenario: string;
  trials: number;
  valid: number[];
  /** Trials left out, 1-based, with why. */
  excluded: { trial: number; reason: string }[];
  metrics: TrialMetric[];
}

/** Why a trial is left out of the statistics, or undefined when it counts. */
export function exclusion(result: RunResult): string | undefined {
  if (result.invalid !== undefined) return `INVALID: ${result.invalid}`;
  if (result.aborted !== undefined) return `ABORTED: ${result.aborted}`;
  return undefined;
}

/** A label in both report languages, from the dictionaries' `key`. */
const both = (key: ReportKey): I18n => ({ en: strings('en')[key], 'pt-BR': strings('pt-BR')[key] });

function metric(id: string, label: I18n, unit: string, values: (number | null | undefined)[]): TrialMetric {
  const measured = values.filter((value): value is number => typeof value === 'number' && Number.isFinite(value));
  const summary = measured.length ? summarize(measured) : null;
  const target = summary ? plannedHalfWidth * Math.abs(summary.mean) : 0;
  return {
    id,
    label,
    unit,
    values: measured,
    summary,
    trialsForTenPercent: summary && target > 0 && measured.length >= 2 ? trialsForHalfWidth(summary.sd, target) : null,
  };
}

/** The statistics of `results` (one per trial, in order) over the trials that count. */
export function trialStatistics(results: RunResult[]): TrialsSummary {
  const excluded = results.flatMap((result, i) => {
    const reason = exclusion(result);
    return reason === undefined ? [] : [{ trial: i + 1, reason }];
  });
  const validIndexes = results.flatMap((result, i) => (exclusion(result) === undefined ? [i] : []));
  const valid = validIndexes.map((i) => results[i] as RunResult);
  const metrics = [
    metric(
      'timeToDetectS',
      both('trialsMetricDetect'),
      's',
      valid.map((r) => r.timeToDetectS),
    ),
    metric(
      'timeToRecoverS',
      both('trialsMetricRecover'),
      's',
      valid.map((r) => r.timeToRecoverS),
    ),
    metric(
      'clientTimeToDetectS',
      both('trialsMetricDetectClient'),
      's',
      valid.map((r) => r.clientTimes?.timeToDetectS),
    ),
    metric(
      'clientTimeToRecoverS',
      both('trialsMetricRecoverClient'),
      's',
      valid.map((r) => r.clientTimes?.timeToRecoverS),
    ),
    metric(
      'score',
      both('trialsMetricScore'),
      'points',
      valid.map((r) => scoreRun(r).score),
    ),
    metric(
      'failedPercent',
      both('trialsMetricFailed'),
      '%',
      valid.map((r) => 100 * r.k6.failedRate),
    ),
    metric(
      'p95Ms',
      both('trialsMetricP95'),
      'ms',
      valid.map((r) => r.k6.p95Ms),
    ),
    metric(
      'p99Ms',
      both('trialsMetricP99'),
      'ms',
      valid.map((r) => r.k6.p99Ms),
    ),
    metric(
      'acceptedOrders',
      both('trialsMetricOrders'),
      'orders',
      valid.map((r) => r.k6.acceptedOrders),
    ),
  ];
  // Each probe in each phase: the value that decided it (per-phase p95 where the scenario probes it).
  const probes = valid[0]?.probes ?? [];
  for (const probe of probes) {
    for (const { phase } of probe.phases) {
      const inPhase = both(`phase_${phase}`);
      metrics.push(
        metric(
          `probe:${probe.name}:${phase}`,
          { en: `${probe.title.en}, ${inPhase.en}`, 'pt-BR': `${probe.title['pt-BR']}, ${inPhase['pt-BR']}` },
          probe.unit,
          valid.map(
            (r) => r.probes.find((p) => p.name === probe.name)?.phases.find((p) => p.phase === phase)?.observed,
          ),
        ),
      );
    }
  }
  return {
    scenario: results[0]?.scenario.name ?? '',
    trials: results.length,
    valid: validIndexes.map((i) => i + 1),
    excluded,
    metrics,
  };
}

/** `[low, high]` as the reports write an interval; `—` without one. */
export const formatInterval = (range: Interval | null | undefined, lang: Lang) =>
  range ? `[${formatNumber(range[0], lang)}, ${formatNumber(range[1], lang)}]` : '—';

export function buildTrialsDocument(
  summary: TrialsSummary,
  results: RunResult[],
  lang: Lang,
  reportLinks?: string[],
): ReportDocument {
  const doc = new DocumentBuilder(lang);
  const s = doc.s;
  const first = results[0];
  const title = first ? first.scenario.title[lang] : summary.scenario;

  const overview = doc.section('trials-summary', s.trialsSectionSummary, s.trialsReadSummary);
  overview.blocks.push({
    kind: 'paragraph',
    text: [
      fill(s.trialsCounted, {
        valid: summary.valid.length,
        trials: summary.trials,
        excluded: summary.excluded.length,
      }),
    ],
  });
  const verdicts = results.map((result, i): Cell[] => [
    reportLinks?.[i] ? { link: String(i + 1), href: reportLinks[i] as string } : String(i + 1),
    doc.outcome(result.verdict.ok, result.invalid),
    exclusion(result) ?? s.trialsCounts,
  ]);
  overview.blocks.push(
    doc.table(s.trialsCaptionTrials, [s.trialsColTrial, s.colVerdict, s.trialsColCounted], verdicts),
  );
  if (summary.valid.length < 2) {
    overview.blocks.push({ kind: 'callout', tone: 'warn', text: [s.trialsTooFew] });
  }

  const figures = doc.section('trials-statistics', s.trialsSectionStatistics, s.trialsReadStatistics);
  const rows = summary.metrics
    .filter((m) => m.summary)
    .map((m): Cell[] => {
      const sm = m.summary as Summary;
      return [
        `${m.label[lang]} (${m.unit})`,
        String(sm.n),
        formatNumber(sm.mean, lang),
        formatInterval(sm.meanInterval, lang),
        formatNumber(sm.median, lang),
        formatInterval(sm.medianInterval, lang),
        formatNumber(sm.sd, lang),
        `${formatNumber(sm.min, lang)} – ${formatNumber(sm.max, lang)}`,
        m.trialsForTenPercent === null ? '—' : String(m.trialsForTenPercent),
      ];
    });
  figures.blocks.push(
    doc.table(
      s.trialsCaptionStatistics,
      [
        s.trialsColMetric,
        'n',
        s.trialsColMean,
        s.trialsColMeanInterval,
        s.trialsColMedian,
        s.trialsColMedianInterval,
        s.trialsColSd,
        s.trialsColRange,
        fill(s.trialsColNeeded, { share: Math.round(plannedHalfWidth * 100) }),
      ],
      rows,
      [false, true, true, false, true, false, true, false, true],
    ),
  );
  const method = summary.metrics.find((m) => m.summary)?.summary?.method;
  figures.blocks.push({
    kind: 'paragraph',
    text: [
      fill(s.trialsMethod, {
        mean: method?.mean ?? '',
        median: method?.median ?? '',
        share: Math.round(plannedHalfWidth * 100),
      }),
    ],
  });

  const reproduce = doc.section('trials-reproduce', s.sectionReproduce);
  if (first) {
    reproduce.blocks.push({ kind: 'code', text: `${first.command} --trials ${summary.trials}` });
  }
  return {
    lang,
    title: fill(s.trialsTitle, { title }),
    subtitle: fill(s.trialsSubtitle, { scenario: summary.scenario, trials: summary.trials }),
    howToRead: s.trialsHowToRead,
    sections: doc.sections,
  };
}

/** Writes trials.md, trials.html and trials.json for `results` (one per trial) into `dir`. */
export async function renderTrials(
  results: RunResult[],
  dir: string,
  { lang = results[0]?.config.lang ?? 'en', trialDirs }: { lang?: Lang; trialDirs?: string[] } = {},
): Promise<RenderedFiles & { summary: TrialsSummary }> {
  const summary = trialStatistics(results);
  const links = trialDirs?.map((trialDir) =>
    relative(resolve(dir), resolve(trialDir, 'report.html')).split('\\').join('/'),
  );
  const written = await writeDocument(buildTrialsDocument(summary, results, lang, links), dir, 'trials', {
    bib: trialsBib(results, lang),
    method: trialsMethod(results, summary, lang),
  });
  const json = join(dir, 'trials.json');
  const trialFolders = trialDirs?.map((trialDir) => relative(resolve(dir), resolve(trialDir)).split('\\').join('/'));
  await writeFile(
    json,
    `${JSON.stringify({ schema: TRIALS_SCHEMA, createdAt: new Date().toISOString(), summary, trialFolders }, null, 2)}\n`,
  );
  return { ...written, json, summary };
}

/** One scenario's line in a suite of trials. */
export interface SuiteTrialsRow {
  scenario: string;
  summary: TrialsSummary;
  passed: number;
  /** The scenario's trials report, relative to the suite folder. */
  link?: string;
}

const byId = (summary: TrialsSummary, id: string) => summary.metrics.find((m) => m.id === id)?.summary ?? null;

export function buildSuiteTrialsDocument(rows: SuiteTrialsRow[], lang: Lang): ReportDocument {
  const doc = new DocumentBuilder(lang);
  const s = doc.s;
  const section = doc.section('suite-trials', s.trialsSectionSuite, s.trialsReadSuite);
  const cell = (summary: Summary | null) =>
    summary ? `${formatNumber(summary.mean, lang)} ${formatInterval(summary.meanInterval, lang)}` : '—';
  section.blocks.push(
    doc.table(
      s.trialsCaptionSuite,
      [
        s.colScenario,
        s.trialsColCounted,
        s.trialsColPassed,
        `${s.trialsMetricScore} ${s.trialsColMeanInterval}`,
        `${s.trialsMetricRecover} (s) ${s.trialsColMeanInterval}`,
        `${s.trialsMetricDetect} (s) ${s.trialsColMeanInterval}`,
      ],
      rows.map((row): Cell[] => [
        row.link ? { link: row.scenario, href: row.link } : row.scenario,
        `${row.summary.valid.length} / ${row.summary.trials}`,
        `${row.passed} / ${row.summary.valid.length}`,
        cell(byId(row.summary, 'score')),
        cell(byId(row.summary, 'timeToRecoverS')),
        cell(byId(row.summary, 'timeToDetectS')),
      ]),
    ),
  );
  const method = rows.flatMap((row) => row.summary.metrics).find((m) => m.summary)?.summary?.method;
  if (method) section.blocks.push({ kind: 'paragraph', text: [fill(s.trialsSuiteMethod, { mean: method.mean })] });
  return {
    lang,
    title: s.trialsSuiteTitle,
    subtitle: fill(s.trialsSuiteSubtitle, {
      scenarios: rows.length,
      trials: rows[0]?.summary.trials ?? 0,
    }),
    howToRead: s.trialsHowToRead,
    sections: doc.sections,
  };
}

/**
 * A suite of trials: each scenario's trials report is in `<dir>/<scenario>/`; this writes the overview
 * (suite-trials.md, .html, .json) into `dir`.
 */
export async function renderSuiteTrials(
  perScenario: { results: RunResult[]; dir: string }[],
  dir: string,
  lang: Lang,
): Promise<RenderedFiles> {
  const rows = perScenario.map(({ results, dir: scenarioDir }): SuiteTrialsRow => {
    const summary = trialStatistics(results);
    const passed = results.filter((result) => exclusion(result) === undefined && result.verdict.ok).length;
    const link = relative(resolve(dir), resolve(scenarioDir, 'trials.html')).split('\\').join('/');
    return { scenario: summary.scenario, summary, passed, link };
  });
  const written = await writeDocument(buildSuiteTrialsDocument(rows, lang), dir, 'suite-trials', {
    bib: suiteBib(
      perScenario.flatMap((scenario) => scenario.results),
      new Date().toISOString(),
      lang,
      'suite-trials',
    ),
  });
  const json = join(dir, 'suite-trials.json');
  const file = { schema: 'confeitaria.chaos-suite-trials/1', createdAt: new Date().toISOString(), rows };
  await writeFile(json, `${JSON.stringify(file, null, 2)}\n`);
  return { ...written, json };
}
