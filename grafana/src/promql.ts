/**
 * PromQL fragments the dashboards repeat, so a rate window or a quantile is written one way everywhere.
 * Every range uses Grafana's `$__rate_interval` (at least four scrape intervals), never a fixed window.
 */

/** `metric{matchers}`; `matchers` is the inside of the braces, e.g. `job="$job"`. */
export const selector = (metric: string, matchers = ''): string => (matchers ? `${metric}{${matchers}}` : metric);

const by = (labels: string[]): string => (labels.length ? ` by (${labels.join(', ')})` : '');

/** Per-second rate of a counter, summed by `labels` (all series together when there are none). */
export const sumRate = (labels: string[], metric: string, matchers = ''): string =>
  `sum${by(labels)} (rate(${selector(metric, matchers)}[$__rate_interval]))`;

/** Count added over the rate window, summed by `labels`: for rare events (retries, parked messages). */
export const sumIncrease = (labels: string[], metric: string, matchers = ''): string =>
  `sum${by(labels)} (increase(${selector(metric, matchers)}[$__rate_interval]))`;

/** The `q` quantile of a histogram (`name` without `_bucket`), per combination of `labels`. */
export const quantile = (q: number, labels: string[], histogram: string, matchers = ''): string =>
  `histogram_quantile(${q}, ${sumRate(['le', ...labels], `${histogram}_bucket`, matchers)})`;

const requests = 'http_server_request_duration_seconds_count';

/**
 * Share of requests answered with a 5xx, per combination of `labels`. A service that answered and had
 * no 5xx shows 0 rather than no data (the `or … * 0` branch keeps the label sets of all requests), so a
 * quiet error panel means "no errors", not "nothing measured"; a service with no requests shows nothing.
 */
export const serverErrorRatio = (labels: string[], matchers = ''): string => {
  const all = sumRate(labels, requests, matchers);
  const errors = sumRate(labels, requests, matchers ? `${matchers}, status_code=~"5.."` : 'status_code=~"5.."');
  return `(${errors} or ${all} * 0) / ${all}`;
};
