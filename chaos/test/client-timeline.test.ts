import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { requestsCsvFile } from '@confeitaria/stack/k6';
import { ensureTool } from '@confeitaria/stack/tools';
import { strings } from '../src/report/i18n';
import { toMarkdown } from '../src/report/markdown';
import { buildRunDocument } from '../src/report/run-document';
import type { Lang, PhaseWindow, RunResult } from '../src/run-result';
import {
  type ClientRequest,
  clientBins,
  clientCharts,
  clientTimes,
  percentile,
  readClientRequests,
} from '../src/runner/client-timeline';
import { buildRunResult, T0 } from './fixtures/run-result-fixture';

const t0 = 1_800_000_000_000;
const phases: PhaseWindow[] = [
  { name: 'baseline', start: t0, end: t0 + 10_000 },
  { name: 'fault', start: t0 + 10_000, end: t0 + 20_000 },
  { name: 'recovery', start: t0 + 20_000, end: t0 + 30_000 },
];

/** Five requests a second, every 200 ms, each lasting `durationMs(second)` and failing when `failed(second)`. */
function traffic(durationMs: (second: number) => number, failed: (second: number) => boolean = () => false) {
  const requests: ClientRequest[] = [];
  for (let second = 0; second < 30; second++) {
    for (let k = 0; k < 5; k++) {
      requests.push({ at: t0 + second * 1000 + k * 200 + 50, durationMs: durationMs(second), failed: failed(second) });
    }
  }
  return requests;
}

test('nearest-rank percentiles, as k6 computes p(95)', () => {
  assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95), 10);
  assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.5), 5);
  assert.equal(percentile([7], 0.95), 7);
  assert.ok(Number.isNaN(percentile([], 0.95)));
});

test('1 s bins are anchored at their start and count each request once, by when it ended', () => {
  const requests = [
    { at: t0 + 999, durationMs: 1, failed: false },
    { at: t0 + 1000, durationMs: 2, failed: true },
    { at: t0 + 1999, durationMs: 3, failed: false },
    { at: t0 + 3000, durationMs: 4, failed: false },
  ];
  const bins = clientBins(requests, t0, t0 + 3000);
  assert.deepEqual(
    bins.map((bin) => [bin.start - t0, bin.requests, bin.failed]),
    [
      [0, 1, 0],
      [1000, 2, 1],
      [2000, 0, 0],
    ],
  );
  assert.equal(bins[1]?.p95Ms, 3);
});

test('latency: detected in the second it rose, recovered in the second it came back', () => {
  // Baseline 20 ms; from second 13 to 22, 300 ms (above 2 × 20 + 50 = 90 ms). Fault 10 s → 20 s.
  const requests = traffic((second) => (second >= 13 && second < 23 ? 300 : 20));
  const times = clientTimes(requests, phases, t0 + 10_000, t0 + 20_000, t0 + 30_000) ?? assert.fail('times');
  assert.equal(times.baselineP95Ms, 20);
  assert.equal(times.latencyLimitMs, 90);
  assert.equal(times.timeToDetectS, 3);
  assert.equal(times.timeToRecoverS, 3, 'seconds 20, 21 and 22 still out; back from second 23');
  assert.equal(times.requests, 150);
});

test('errors: a failed share 5 points above the baseline is out; a fault that never shows is never detected', () => {
  const requests = traffic(
    () => 20,
    (second) => second >= 11 && second < 15,
  );
  const times = clientTimes(requests, phases, t0 + 10_000, t0 + 20_000, t0 + 30_000) ?? assert.fail('times');
  assert.equal(times.baselineFailedShare, 0);
  assert.equal(times.timeToDetectS, 1);
  assert.equal(times.timeToRecoverS, 0, 'no second after the fault was out');
  const calm = clientTimes(
    traffic(() => 20),
    phases,
    t0 + 10_000,
    t0 + 20_000,
    t0 + 30_000,
  );
  assert.equal(calm?.timeToDetectS, null);
  assert.equal(calm?.timeToRecoverS, 0);
});

test('still out in the last second: not recovered; seconds with too few requests do not decide', () => {
  const requests = traffic((second) => (second >= 12 ? 300 : 20));
  const times = clientTimes(requests, phases, t0 + 10_000, t0 + 20_000, t0 + 30_000);
  assert.equal(times?.timeToRecoverS, null);
  // One slow request alone in second 25, after recovery at second 21: it does not count.
  const sparse = traffic((second) => (second >= 12 && second < 21 ? 300 : 20)).filter(
    (request) => !(request.at >= t0 + 25_000 && request.at < t0 + 26_000),
  );
  sparse.push({ at: t0 + 25_500, durationMs: 900, failed: true });
  const back = clientTimes(sparse, phases, t0 + 10_000, t0 + 20_000, t0 + 30_000);
  assert.equal(back?.timeToRecoverS, 1);
  // No baseline traffic: nothing to measure against.
  assert.equal(
    clientTimes(
      requests.filter((request) => request.at >= t0 + 10_000),
      phases,
      t0 + 10_000,
      t0 + 20_000,
      t0 + 30_000,
    ),
    undefined,
  );
});

test('the client charts plot each second against the band it was judged by', () => {
  const requests = traffic((second) => (second >= 13 && second < 23 ? 300 : 20));
  const times = clientTimes(requests, phases, t0 + 10_000, t0 + 20_000, t0 + 30_000) ?? assert.fail('times');
  const [latency, errors] = clientCharts(requests, times, t0, t0 + 30_000);
  assert.equal(latency?.series[0]?.points.length, 30);
  assert.deepEqual(latency?.series[0]?.points[13], [t0 + 13_000, 0.3]);
  assert.deepEqual(latency?.series[1]?.points[0], [t0, 0.09]);
  assert.deepEqual(errors?.series[0]?.points[0], [t0, 0]);
});

test("k6's own CSV output is read: every request, its failure, stamped when its response ended", async () => {
  // A real k6 against a local server: /slow answers 200 after 300 ms, /broken 500 at once.
  const server = createServer((request, response) => {
    if (request.url === '/slow') setTimeout(() => response.end('ok'), 300);
    else {
      response.statusCode = 500;
      response.end('no');
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  const dir = await mkdtemp(join(tmpdir(), 'k6-csv-'));
  const script = join(dir, 'script.js');
  await writeFile(
    script,
    `import http from 'k6/http';
export const options = { vus: 1, iterations: 3 };
export default function () {
  http.get('http://127.0.0.1:${port}/slow');
  http.get('http://127.0.0.1:${port}/broken', { tags: { name: 'broken, with a comma' } });
}
`,
  );
  const started = Date.now();
  const k6 = spawn(await ensureTool('k6'), ['run', '--quiet', '-o', `csv=${requestsCsvFile(dir)}`, script], {
    stdio: 'ignore',
    env: { ...process.env, K6_CSV_TIME_FORMAT: 'unix_milli', K6_NO_USAGE_REPORT: 'true' },
  });
  const [code] = await once(k6, 'exit');
  server.close();
  assert.equal(code, 0);
  const requests = await readClientRequests(requestsCsvFile(dir));
  assert.equal(requests.length, 6);
  const slow = requests.filter((request) => !request.failed);
  const broken = requests.filter((request) => request.failed);
  assert.equal(slow.length, 3);
  assert.equal(broken.length, 3, 'the 500s failed, by k6’s expected_response');
  for (const request of slow) assert.ok(request.durationMs >= 299, `slow took ${request.durationMs} ms`);
  // Stamped at the end: the first slow request ended at least 300 ms after k6 started.
  assert.ok((slow[0]?.at ?? 0) >= started + 300, `ended at +${(slow[0]?.at ?? 0) - started} ms`);
  assert.ok(requests.every((request, i) => i === 0 || request.at >= (requests[i - 1]?.at ?? 0)));
});

const markdown = (result: RunResult, lang: Lang) => toMarkdown(buildRunDocument(result, lang), strings(lang).noRows);

test('the run report gives both times, each with its resolution, and explains a rising request rate', async () => {
  const fixture = buildRunResult();
  const timeline = fixture.timeline.map((chart) =>
    chart.id !== 'throughput'
      ? chart
      : {
          ...chart,
          series: chart.series.map((series) =>
            series.label !== 'k6 requests'
              ? series
              : {
                  ...series,
                  points: series.points.map(([t, v]): [number, number | null] => [
                    t,
                    t >= T0 + 30_000 && t < T0 + 90_000 ? 40 : v === null ? null : 23,
                  ]),
                },
          ),
        },
  );
  const result = buildRunResult({
    timeline,
    clientTimes: {
      binS: 1,
      requests: 2762,
      baselineP95Ms: 49.6,
      baselineFailedShare: 0.0046,
      latencyLimitMs: 149.2,
      failedShareLimit: 0.0546,
      timeToDetectS: 0,
      timeToRecoverS: 1,
    },
  });
  const en = markdown(result, 'en');
  assert.match(en, /\| Time to detect, client side \(s\) \| 0\.0 \| From k6’s 2,762 requests in 1 s bins/);
  assert.match(
    en,
    /above 149\.2 ms \(twice the baseline’s 49\.6 ms plus 50 ms\) or whose failed share was above 5\.46 %/,
  );
  assert.match(en, /\| Time to recover, client side \(s\) \| 1\.0 \|/);
  assert.match(en, /sampled every 2 s/);
  assert.match(en, /rose from 23\.0 req\/s in the baseline to 40\.0 req\/s in the fault phase/);
  const pt = markdown(result, 'pt-BR');
  assert.match(pt, /\| Tempo para detectar, no cliente \(s\) \| 0,0 \|/);
  assert.match(pt, /subiu de 23,0 req\/s no baseline para 40,0 req\/s/);
  // A run whose rate did not rise says nothing about it, and an older run without client times has no such rows.
  const plain = markdown(buildRunResult(), 'en');
  assert.doesNotMatch(plain, /request rate rose|client side/);
});
