// Seeds the crowd's shopper population through the public API: `npm run stack -- shoppers <count>`
// (stack/src/shoppers.ts) passes the numbers still missing in SHOPPER_LIST (a JSON file), and this
// registers shopper-<n>@crowd.confeitaria.test for each, SEED_VUS (20) at a time, honouring every
// Retry-After (identity's hashing queue and the per-address login budget both push back on a crowd).
// An address that is already registered (409) counts as seeded.
import { fail } from 'k6';
import exec from 'k6/execution';
import http from 'k6/http';
import { Counter } from 'k6/metrics';
import { baseUrl, crowdEmail, crowdPassword } from './lib/shop.js';
import { deadlineIn, untilNotTransient } from './lib/transient-retry.js';

const numbers = JSON.parse(open(__ENV.SHOPPER_LIST));
const seeded = new Counter('shoppers_seeded');

export const options = {
  scenarios: {
    seed: {
      executor: 'shared-iterations',
      vus: Math.max(1, Math.min(Number(__ENV.SEED_VUS || 20), numbers.length)),
      iterations: Math.max(1, numbers.length),
      maxDuration: '30m',
    },
  },
  thresholds: { checks: ['rate>0.99'] },
};

export default function () {
  const n = numbers[exec.scenario.iterationInTest];
  if (n === undefined) return;
  const answer = untilNotTransient(`shopper ${n}`, deadlineIn(120), () =>
    http.post(
      `${baseUrl}/api/auth/register`,
      JSON.stringify({ email: crowdEmail(n), password: crowdPassword, name: `Cliente ${n}` }),
      { headers: { 'Content-Type': 'application/json' }, tags: { name: 'POST /api/auth/register' } },
    ),
  );
  if (answer.status !== 201 && answer.status !== 409) fail(`shopper ${n}: ${answer.status} ${answer.body}`);
  seeded.add(1);
  if (exec.scenario.iterationInTest % 100 === 99)
    console.log(JSON.stringify({ seeded: exec.scenario.iterationInTest + 1 }));
}
