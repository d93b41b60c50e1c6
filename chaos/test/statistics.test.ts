/**
 * The reports' statistics on data with known answers: every expected figure below was computed
 * independently with SciPy 1.x (scipy.stats.t.ppf, ttest_ind(equal_var=False), mannwhitneyu) or by hand.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  bootstrapInterval,
  mannWhitney,
  meanDifference,
  meanInterval,
  median,
  quantile,
  summarize,
  tQuantile,
  trialsForHalfWidth,
} from '../src/stats/statistics';

const close = (actual: number | undefined, expected: number, digits = 6, what = '') =>
  assert.ok(
    actual !== undefined && Math.abs(actual - expected) < 10 ** -digits,
    `${what} ${actual} ≠ ${expected} (to ${digits} digits)`,
  );

describe('statistics', () => {
  test("Student's t quantile", () => {
    close(tQuantile(0.975, 4), 2.7764451051977934, 6, 'df 4');
    close(tQuantile(0.975, 2), 4.302652729749462, 6, 'df 2');
    close(tQuantile(0.975, 29), 2.045229642132703, 6, 'df 29');
  });

  test('quantiles interpolate as R type 7 / numpy does', () => {
    assert.equal(quantile([1, 2, 3, 4], 0.25), 1.75);
    close(quantile([3, 1, 4, 1, 5, 9, 2, 6], 0.9), 6.9, 9);
    assert.equal(median([5, 1, 3]), 3);
    assert.equal(median([4, 1, 3, 2]), 2.5);
  });

  test('the t interval of a mean', () => {
    const [low, high] = meanInterval([1, 2, 3, 4, 5]) ?? [];
    close(low, 1.0367568385224428);
    close(high, 4.963243161477557);
    const recovery = summarize([12.5, 11.4, 13.9, 8.3, 10.1]);
    close(recovery.mean, 11.24, 9);
    close(recovery.sd, 2.1582400237230335);
    close(recovery.meanInterval?.[0], 8.560191063060671);
    close(recovery.meanInterval?.[1], 13.919808936939326);
    assert.equal(meanInterval([7]), null, 'no interval from one value');
  });

  test('the bootstrap interval of a median: seeded, inside the data, around the median, narrower with more data', () => {
    const values = [12.5, 11.4, 13.9, 8.3, 10.1, 9.7, 12.2, 11.8];
    const once = bootstrapInterval(values, median, { seed: 42 });
    assert.deepEqual(bootstrapInterval(values, median, { seed: 42 }), once, 'the same seed gives the same interval');
    const [low, high] = once ?? [Number.NaN, Number.NaN];
    assert.ok(low >= Math.min(...values) && high <= Math.max(...values), `[${low}, ${high}] inside the data`);
    assert.ok(low <= median(values) && median(values) <= high, 'around the median');
    // 400 draws of a known distribution (uniform 0..1, median 0.5): the interval holds 0.5 and is tight.
    let state = 7;
    const uniform = Array.from({ length: 400 }, () => {
      state = (state * 48271) % 2147483647;
      return state / 2147483647;
    });
    const [uLow, uHigh] = bootstrapInterval(uniform, median) ?? [0, 1];
    assert.ok(uLow < 0.5 && 0.5 < uHigh && uHigh - uLow < 0.15, `[${uLow}, ${uHigh}]`);
  });

  test('how many trials a half-width needs', () => {
    // sd 1, ± 1: t(0.975, 5)/√6 = 1.049 > 1, t(0.975, 6)/√7 = 0.925 ≤ 1.
    assert.equal(trialsForHalfWidth(1, 1), 7);
    assert.equal(trialsForHalfWidth(0, 1), 2);
    // The answer really does give that width: with n trials, t · sd / √n ≤ half-width; with n − 1, not.
    const n = trialsForHalfWidth(2.158, 1);
    assert.ok(tQuantile(0.975, n - 1) * (2.158 / Math.sqrt(n)) <= 1);
    assert.ok(tQuantile(0.975, n - 2) * (2.158 / Math.sqrt(n - 1)) > 1);
  });

  test("Welch's interval of a difference of means", () => {
    const difference = meanDifference([12.5, 11.4, 13.9, 8.3, 10.1], [15.2, 14.8, 16.9, 13.1]);
    close(difference.interval?.[0], -6.697091440632098);
    close(difference.interval?.[1], -0.8229085593679053);
    close(difference.difference, 11.24 - 15.0, 9);
  });

  test('Mann–Whitney U: exact without ties, normal with ties and for large samples', () => {
    const apart = mannWhitney([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]);
    assert.equal(apart.u, 0);
    assert.equal(apart.method, 'exact');
    close(apart.p, 0.007936507936507936, 9);
    assert.equal(apart.probabilityOfSuperiority, 0);

    const overlapping = mannWhitney([0.8, 1.2, 1.9, 2.4, 3.1, 3.3, 4.0], [1.0, 2.0, 2.9, 3.5, 4.2, 4.8, 5.1, 6.0]);
    assert.equal(overlapping.uA, 14);
    close(overlapping.p, 0.1205905205905206, 9);

    const tied = mannWhitney([1.1, 2.2, 2.2, 3.3, 4.4, 5.5], [2.2, 3.3, 6.6, 7.7, 8.8]);
    assert.equal(tied.uA, 6.5);
    assert.match(tied.method, /normal/);
    close(tied.p, 0.13954714372531585, 9);

    const a = [
      14.082, 4.889, 10.836, 8.864, 9.095, 9.569, 5.96, 9.536, 8.27, 16.646, 10.452, 9.295, 9.437, 8.664, 7.89, 9.218,
      10.964, 9.523, 11.916, 9.6, 10.049, 13.092, 11.09, 8.99, 9.634, 11.081, 13.87, 9.461, 9.513, 12.005,
    ];
    const b = [
      9.227, 10.417, 12.765, 12.161, 11.183, 12.34, 5.344, 13.043, 9.081, 7.663, 11.553, 12.401, 10.11, 8.847, 11.052,
      10.895, 13.811, 12.495, 11.388, 13.223, 10.589, 9.148, 12.168, 12.165, 10.57, 9.434, 11.458, 6.012, 12.38, 11.983,
    ];
    const large = mannWhitney(a, b);
    assert.equal(large.uA, 326);
    close(large.p, 0.06786886081944325, 9);
    assert.equal(mannWhitney([3, 3, 3], [3, 3]).p, 1, 'all tied: no evidence of a difference');
  });
});
