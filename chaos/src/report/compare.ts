/**
 * Two sets of trials side by side (`npm run report -- compare <A> <B>`: e.g. a breaker timeout
 * changed, one payments worker against two): per metric the difference of the means with Welch's 95 %
 * interval, the Mann–Whitney U test, and a verdict in plain words. Each side is the valid trials of a
 * `--trials` folder (or one run); a trial left out of its own trials report is left out here too.
 * Written as compare.md, compare.html and compare.json.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { I18n, Lang, RunResult } from '../run-result';
import { type MannWhitney, type MeanDifference, mannWhitney, mean, meanDifference } from '../stats/statistics';
import { compareBib } from './bibtex';
import { type Cell, DocumentBuilder, type ReportDocument } from './document';
import { type RenderedFiles, writeDocument } from './document-writer';
import { formatNumber } from './format';
import { fill } from './i18n';
import { formatInterval, trialStatistics } from './trials';

export const COMPARE_SCHEMA = 'confeitaria.chaos-compare/1';

/** The significance level both tests are read at. */
export const alpha = 0.05;

export type Reading = 'higher' | 'lower' | 'no-difference' | 'inconclusive' | 'too-few';

export interface MetricComparison {
  id: string;
  label: I18n;
  unit: string;
  a: number[];
  b: number[];
  /** mean(B) − mean(A), with Welch's interval. */
  difference: MeanDifference | null;
  mannWhitney: MannWhitney | null;
  /**
   * higher/lower: B's values are higher/lower than A's, both tests agreeing (U's p < 0.05 and the
   * interval excluding 0); no-difference: neither test shows one; inconclusive: the two disagree;
   * too-few: fewer than two trials on a side.
   */
  reading: Reading;
}

export interface Comparison {
  a: { label: string; scenario: string; trials: number; valid: number };
  b: { label: string; scenario: string; trials: number; valid: number };
  metrics: MetricComparison[];
}

export function readingOf(difference: MeanDifference | null, test: MannWhitney | null): Reading {
  if (!difference?.interval || !test) return 'too-few';
  const [low, high] = difference.interval;
  const excludesZero = low > 0 || high < 0;
  const significant = test.p < alpha;
  if (significant && excludesZero) return difference.difference > 0 ? 'higher' : 'lower';
  if (!significant && !excludesZero) return 'no-difference';
  return 'inconclusive';
}

/** Compares the trials of `a` with those of `b` on every metric both measured. */
export function compareTrials(a: RunResult[], b: RunResult[], labels: { a: string; b: string }): Comparison {
  const left = trialStatistics(a);
  const right = trialStatistics(b);
  const metrics = left.metrics.flatMap((metric): MetricComparison[] => {
    const other = right.metrics.find((candidate) => candidate.id === metric.id);
    if (!other || metric.values.length === 0 || other.values.length === 0) return [];
    const enough = metric.values.length >= 2 && other.values.length >= 2;
    const difference = enough ? meanDifference(other.values, metric.values) : null;
    const test = enough ? mannWhitney(other.values, metric.values) : null;
    return [
      {
        id: metric.id,
        label: metric.label,
        unit: metric.unit,
        a: metric.values,
        b: other.values,
        difference,
        mannWhitney: test,
        reading: readingOf(difference, test),
      },
    ];
  });
  const side = (label: string, stats: typeof left) => ({
    label,
    scenario: stats.scenario,
    trials: stats.trials,
    valid: stats.valid.length,
  });
  return { a: side(labels.a, left), b: side(labels.b, right), metrics };
}

export function buildCompareDocument(comparison: Comparison, lang: Lang): ReportDocument {
  const doc = new DocumentBuilder(lang);
  const s = doc.s;
  const sides = doc.section('compare-sides', s.compareSectionSides, s.compareReadSides);
  sides.blocks.push(
    doc.table(
      s.compareCaptionSides,
      [s.compareColSide, s.compareColFolder, s.compareColScenario, s.compareColCounted],
      (['a', 'b'] as const).map((key): Cell[] => {
        const side = comparison[key];
        return [key.toUpperCase(), { code: side.label }, side.scenario, `${side.valid} / ${side.trials}`];
      }),
    ),
  );
  if (comparison.a.scenario !== comparison.b.scenario) {
    sides.blocks.push({
      kind: 'callout',
      tone: 'warn',
      text: [fill(s.compareDifferentScenarios, { a: comparison.a.scenario, b: comparison.b.scenario })],
    });
  }
  const results = doc.section('compare-metrics', s.compareSectionMetrics, s.compareReadMetrics);
  const word: Record<Reading, string> = {
    higher: s.compareHigher,
    lower: s.compareLower,
    'no-difference': s.compareNoDifference,
    inconclusive: s.compareInconclusive,
    'too-few': s.compareTooFew,
  };
  results.blocks.push(
    doc.table(
      s.compareCaptionMetrics,
      [
        s.trialsColMetric,
        s.compareColMeanA,
        s.compareColMeanB,
        s.compareColDifference,
        s.compareColInterval,
        'U',
        'p',
        s.compareColReading,
      ],
      comparison.metrics.map((m): Cell[] => [
        `${m.label[lang]} (${m.unit})`,
        formatNumber(mean(m.a), lang),
        formatNumber(mean(m.b), lang),
        m.difference ? formatNumber(m.difference.difference, lang) : '—',
        formatInterval(m.difference?.interval, lang),
        m.mannWhitney ? formatNumber(m.mannWhitney.u, lang) : '—',
        m.mannWhitney ? formatNumber(m.mannWhitney.p, lang) : '—',
        m.reading === 'higher' || m.reading === 'lower' ? { strong: word[m.reading] } : word[m.reading],
      ]),
      [false, true, true, true, false, true, true, false],
    ),
  );
  results.blocks.push({ kind: 'paragraph', text: [fill(s.compareMethod, { alpha })] });
  return {
    lang,
    title: fill(s.compareTitle, { a: comparison.a.label, b: comparison.b.label }),
    subtitle: fill(s.compareSubtitle, { a: comparison.a.scenario, b: comparison.b.scenario }),
    howToRead: s.compareHowToRead,
    sections: doc.sections,
  };
}

/** Writes compare.md, compare.html, compare.pdf, compare.json and compare.bib into `dir`. */
export async function renderComparison(
  a: RunResult[],
  b: RunResult[],
  dir: string,
  { lang = 'en', labels }: { lang?: Lang; labels: { a: string; b: string } },
): Promise<RenderedFiles & { comparison: Comparison }> {
  const comparison = compareTrials(a, b, labels);
  const createdAt = new Date().toISOString();
  const written = await writeDocument(buildCompareDocument(comparison, lang), dir, 'compare', {
    bib: compareBib(comparison, [...a, ...b], createdAt, lang),
  });
  const json = join(dir, 'compare.json');
  await writeFile(json, `${JSON.stringify({ schema: COMPARE_SCHEMA, createdAt, comparison }, null, 2)}\n`);
  return { ...written, json, comparison };
}
