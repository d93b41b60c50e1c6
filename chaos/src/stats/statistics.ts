/**
 * The statistics the reports stand on, in one place (the chaos runner's trials, the comparisons, the
 * benchmark's rounds): summaries with 95 % confidence intervals, how many trials an interval width
 * needs, the difference of two means, and the Mann–Whitney U test. Distributions come from jStat
 * (Student's t quantile, the normal CDF); what is built on them is here, with its method named in every
 * result, so a report can say how each interval was made. Unit-tested against values computed
 * independently (R and SciPy: chaos/test/statistics.test.ts).
 */
import jStat from 'jstat';
import { seededRandom } from '../seeded-random';

export type Interval = [low: number, high: number];

export interface Summary {
  n: number;
  mean: number;
  median: number;
  /** Sample standard deviation (n − 1); 0 for a single value. */
  sd: number;
  min: number;
  max: number;
  /** Student's t interval of the mean; null below two values. */
  meanInterval: Interval | null;
  /** Percentile bootstrap interval of the median; null below two values. */
  medianInterval: Interval | null;
  confidence: number;
  method: { mean: string; median: string };
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
export const mean = (values: number[]) => sum(values) / values.length;

/** The q-quantile with linear interpolation between order statistics (R's type 7, numpy's default). */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) throw new Error('quantile of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  const low = sorted[below] as number;
  return low + ((sorted[above] as number) - low) * (position - below);
}

export const median = (values: number[]) => quantile(values, 0.5);

export function standardDeviation(values: number[]): number {
  if (values.length < 2) return 0;
  const centre = mean(values);
  return Math.sqrt(sum(values.map((value) => (value - centre) ** 2)) / (values.length - 1));
}

/** Student's t quantile: the t with P(T ≤ t) = p on `df` degrees of freedom. */
export const tQuantile = (p: number, df: number): number => jStat.studentt.inv(p, df);

/** The standard normal CDF. */
export const normalCdf = (z: number): number => jStat.normal.cdf(z, 0, 1);

/** mean ± t(1 − α/2, n − 1) · s / √n. */
export function meanInterval(values: number[], confidence = 0.95): Interval | null {
  if (values.length < 2) return null;
  const centre = mean(values);
  const half =
    tQuantile(1 - (1 - confidence) / 2, values.length - 1) * (standardDeviation(values) / Math.sqrt(values.length));
  return [centre - half, centre + half];
}

/**
 * The percentile bootstrap interval of `statistic`: `resamples` samples drawn with replacement from
 * `values` (seeded, so a report is reproducible), the statistic of each, and the (α/2, 1 − α/2)
 * quantiles of those.
 */
export function bootstrapInterval(
  values: number[],
  statistic: (sample: number[]) => number,
  { confidence = 0.95, resamples = 10_000, seed = 1 }: { confidence?: number; resamples?: number; seed?: number } = {},
): Interval | null {
  if (values.length < 2) return null;
  const random = seededRandom(seed);
  const sample = new Array<number>(values.length);
  const statistics = new Array<number>(resamples);
  for (let round = 0; round < resamples; round++) {
    for (let i = 0; i < values.length; i++) sample[i] = values[Math.floor(random() * values.length)] as number;
    statistics[round] = statistic(sample);
  }
  const alpha = 1 - confidence;
  return [quantile(statistics, alpha / 2), quantile(statistics, 1 - alpha / 2)];
}

export function summarize(values: number[], { confidence = 0.95, seed = 1 } = {}): Summary {
  if (values.length === 0) throw new Error('a summary of no values');
  const percent = Math.round(confidence * 100);
  return {
    n: values.length,
    mean: mean(values),
    median: median(values),
    sd: standardDeviation(values),
    min: Math.min(...values),
    max: Math.max(...values),
    meanInterval: meanInterval(values, confidence),
    medianInterval: bootstrapInterval(values, median, { confidence, seed }),
    confidence,
    method: {
      mean: `${percent} % Student's t interval (n − 1 degrees of freedom)`,
      median: `${percent} % percentile bootstrap interval (10 000 resamples, seed ${seed})`,
    },
  };
}

/**
 * How many trials make the t interval of the mean at most ± `halfWidth` wide, for a spread like `sd`:
 * the smallest n ≥ 2 with t(1 − α/2, n − 1) · sd / √n ≤ halfWidth (at most 10 000).
 */
export function trialsForHalfWidth(sd: number, halfWidth: number, confidence = 0.95): number {
  if (!(halfWidth > 0)) throw new Error('the half-width must be above 0');
  if (sd === 0) return 2;
  for (let n = 2; n <= 10_000; n++) {
    if (tQuantile(1 - (1 - confidence) / 2, n - 1) * (sd / Math.sqrt(n)) <= halfWidth) return n;
  }
  return 10_000;
}

export interface MeanDifference {
  /** mean(a) − mean(b). */
  difference: number;
  interval: Interval | null;
  /** Welch–Satterthwaite degrees of freedom. */
  df: number | null;
  method: string;
}

/** The difference of two means with Welch's t interval (no equal-variance assumption). */
export function meanDifference(a: number[], b: number[], confidence = 0.95): MeanDifference {
  const difference = mean(a) - mean(b);
  const method = `${Math.round(confidence * 100)} % Welch t interval`;
  if (a.length < 2 || b.length < 2) return { difference, interval: null, df: null, method };
  const va = standardDeviation(a) ** 2 / a.length;
  const vb = standardDeviation(b) ** 2 / b.length;
  const se = Math.sqrt(va + vb);
  if (se === 0) return { difference, interval: [difference, difference], df: null, method };
  const df = (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1));
  const half = tQuantile(1 - (1 - confidence) / 2, df) * se;
  return { difference, interval: [difference - half, difference + half], df, method };
}

export interface MannWhitney {
  /** U of the first sample: how many (a, b) pairs have a > b, ties counting a half. */
  uA: number;
  /** min(U_a, U_b), the statistic tables list. */
  u: number;
  /** Two-sided p-value. */
  p: number;
  /** P(a random a > a random b) + ½ P(equal): U_a / (n_a n_b). 0.5 is no difference. */
  probabilityOfSuperiority: number;
  method: 'exact' | 'normal approximation, tie-corrected, with continuity correction';
}

/** Ranks 1..N with ties given the average of the ranks they span. */
function ranks(values: number[]): { ranks: number[]; tieGroups: number[] } {
  const order = values.map((value, index) => ({ value, index })).sort((x, y) => x.value - y.value);
  const result = new Array<number>(values.length);
  const tieGroups: number[] = [];
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]?.value === order[start]?.value) end++;
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) result[(order[k] as { index: number }).index] = rank;
    if (end > start) tieGroups.push(end - start + 1);
    start = end + 1;
  }
  return { ranks: result, tieGroups };
}

/** P(U ≤ u) for samples of m and n without ties: the count of arrangements, by recursion on the largest value. */
function exactCdf(u: number, m: number, n: number): number {
  // counts[i][j][k]: arrangements of i a's and j b's with U_a = k.
  const max = m * n;
  let previous: number[][] = Array.from({ length: n + 1 }, () => [1]);
  for (let i = 1; i <= m; i++) {
    const current: number[][] = [Array.from({ length: max + 1 }, (_, k) => (k === 0 ? 1 : 0))];
    for (let j = 1; j <= n; j++) {
      const row = new Array<number>(max + 1).fill(0);
      for (let k = 0; k <= i * j; k++) {
        // The largest value is an a (above all j b's: U gains j) or a b (U unchanged).
        row[k] = (k - j >= 0 ? (previous[j]?.[k - j] ?? 0) : 0) + (current[j - 1]?.[k] ?? 0);
      }
      current.push(row);
    }
    previous = current;
  }
  const counts = previous[n] ?? [];
  const total = counts.reduce((all, count) => all + (count ?? 0), 0);
  let below = 0;
  for (let k = 0; k <= Math.floor(u); k++) below += counts[k] ?? 0;
  return below / total;
}

/**
 * The Mann–Whitney U test of two independent samples, two-sided. Exact (the distribution of U counted)
 * when there are no ties and both samples hold at most 25 values; otherwise the normal approximation
 * with the tie correction of the variance and a continuity correction (R's wilcox.test defaults).
 */
export function mannWhitney(a: number[], b: number[]): MannWhitney {
  if (a.length === 0 || b.length === 0) throw new Error('Mann–Whitney needs two non-empty samples');
  const m = a.length;
  const n = b.length;
  const { ranks: all, tieGroups } = ranks([...a, ...b]);
  const rankSumA = sum(all.slice(0, m));
  const uA = rankSumA - (m * (m + 1)) / 2;
  const u = Math.min(uA, m * n - uA);
  const probabilityOfSuperiority = uA / (m * n);
  if (tieGroups.length === 0 && m <= 25 && n <= 25) {
    return { uA, u, p: Math.min(1, 2 * exactCdf(u, m, n)), probabilityOfSuperiority, method: 'exact' };
  }
  const total = m + n;
  const ties = sum(tieGroups.map((t) => t ** 3 - t));
  const variance = ((m * n) / 12) * (total + 1 - ties / (total * (total - 1)));
  const method = 'normal approximation, tie-corrected, with continuity correction' as const;
  if (variance <= 0) return { uA, u, p: 1, probabilityOfSuperiority, method };
  const deviation = uA - (m * n) / 2;
  const z = (Math.abs(deviation) - 0.5) / Math.sqrt(variance);
  return { uA, u, p: Math.min(1, 2 * (1 - normalCdf(Math.max(0, z)))), probabilityOfSuperiority, method };
}
