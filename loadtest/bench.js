// Closed-loop benchmark load for `npm run bench`: VUS virtual users send one request after another,
// without think time, to TARGET (a full URL) for DURATION, so the figure that comes out is the most the
// target serves on this machine. METHOD POST sends BODY with TOKEN and a fresh Idempotency-Key.
// Not a shopper: use journey.js for realistic load.
import { check } from 'k6';
import http from 'k6/http';

// RATE set: an open loop instead, RATE requests per second whatever the answers take (for the order
// pipeline, where the question is whether the saga keeps up with an offered rate).
const rate = Number(__ENV.RATE || 0);
const duration = __ENV.DURATION || '10s';

export const options = {
  scenarios: {
    bench: rate
      ? { executor: 'constant-arrival-rate', rate, timeUnit: '1s', duration, preAllocatedVUs: rate, maxVUs: rate * 4 }
      : { executor: 'constant-vus', vus: Number(__ENV.VUS || 8), duration },
  },
  // Every request counts in the summary's trend stats; no thresholds: the harness judges the ratios.
  summaryTrendStats: ['avg', 'med', 'p(90)', 'p(99)', 'max'],
};

const method = __ENV.METHOD || 'GET';
const headers = { 'Content-Type': 'application/json' };
if (__ENV.TOKEN) headers.Authorization = `Bearer ${__ENV.TOKEN}`;

export default function () {
  const response =
    method === 'POST'
      ? http.post(__ENV.TARGET, __ENV.BODY, {
          headers: { ...headers, 'Idempotency-Key': `${__VU}-${__ITER}-${Math.random()}` },
        })
      : http.get(__ENV.TARGET, { headers });
  check(response, { 'answered 2xx': (r) => r.status >= 200 && r.status < 300 });
}
