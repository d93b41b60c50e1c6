// Load profiles shared by every script in loadtest/: the same journey can be a 20 s smoke check, a
// steady load, a stress staircase, a spike, an hour-long soak, or the constant rate a chaos experiment
// runs under. Chosen with PROFILE (default smoke); RATE (iterations/s), DURATION and VUS tune them.
//
//   profile  executor                 shape
//   smoke    constant-vus             VUS (3) shoppers for DURATION (20s)
//   load     ramping-arrival-rate     0 → RATE (5/s) in 30 s, hold DURATION (2m), down in 10 s
//   stress   ramping-arrival-rate     RATE, 2×, 3×, 4× RATE, 1 min each (DURATION per step)
//   spike    ramping-arrival-rate     RATE, then 10× RATE for 20 s, then RATE again
//   soak     constant-arrival-rate    RATE for DURATION (30m)
//   chaos    constant-arrival-rate    RATE for DURATION: what `npm run chaos:scenario` runs under
//   crowd    ramping-vus              0 → VUS shoppers over RAMP (1m), hold DURATION (2m), each a person
//                                     who thinks between steps (THINK, below)
//   staircase ramping-vus             STEPS shoppers (100,250,500,1000,1500,2000), each step reached in
//                                     STEP_RAMP (20s) and held STEP_HOLD (60s): `npm run capacity`
//
// Think time (THINK): the pause a person takes between two steps of the journey (reading a listing,
// deciding, typing a card). Default `tpcw` for crowd and staircase, where VUs are people: TPC-W's
// e-commerce shopper, a negative-exponential pause of mean 7 s cut at 70 s (TPC-W 1.8, clause 5.3.1.1);
// "min-max" draws uniformly instead (THINK=1-5: mean 3 s, a busier crowd). 0 for the arrival-rate
// profiles, where an iteration is one journey at a set rate.
//
// ADMIN_RATE (per second, default 0 = none) adds admin stock writes beside a constant profile (smoke,
// soak, chaos): k6 scenario `admin`, running the script's exported `adminWrite` (journey, browse).
const rate = Number(__ENV.RATE || 5);
const vus = Number(__ENV.VUS || 3);

// Arrival-rate executors need VUs in hand for every iteration in flight: by Little's law, the rate
// times how long one iteration holds its VU (a journey waits on the saga: ~6 s at rest, longer under a
// fault). VUs k6 must initialise mid-run come too late, and the iterations they miss are dropped
// (k6's dropped_iterations), which a chaos run counts as an invalid measurement. So the pool is sized
// for ITERATION_S (default 10 s) per iteration and may grow to three times that (MAX_VUS when the chaos
// runner sets it: chaos/src/runner/vu-pool.ts). With PREALLOCATE_ALL the whole pool is allocated up
// front: the chaos runner sets it when a VU has nothing to do on arrival (browse, or a journey whose
// shoppers are signed in beforehand: CROWD_TOKENS). Otherwise only the resting need is, because each
// journey VU signs a shopper up on its first iteration, and a pool of them would all sign up at once.
const iterationS = Number(__ENV.ITERATION_S || 10);
const pool = (peak) => {
  const maxVUs = Number(__ENV.MAX_VUS) || Math.ceil(peak * iterationS * 3);
  return { preAllocatedVUs: __ENV.PREALLOCATE_ALL ? maxVUs : Math.min(maxVUs, Math.ceil(peak * iterationS)), maxVUs };
};

const steps = (__ENV.STEPS || '100,250,500,1000,1500,2000').split(',').map(Number);
const stepRamp = __ENV.STEP_RAMP || '20s';
const stepHold = __ENV.STEP_HOLD || '60s';

/** Seconds in a k6 duration such as 90s, 2m or 1m30s. */
export function seconds(duration) {
  let total = 0;
  for (const [, value, unit] of duration.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    total += Number(value) * { ms: 0.001, s: 1, m: 60, h: 3600 }[unit];
  }
  return total;
}

const profiles = {
  smoke: () => ({ executor: 'constant-vus', vus, duration: __ENV.DURATION || '20s' }),
  load: () => ({
    executor: 'ramping-arrival-rate',
    startRate: 0,
    timeUnit: '1s',
    stages: [
      { target: rate, duration: '30s' },
      { target: rate, duration: __ENV.DURATION || '2m' },
      { target: 0, duration: '10s' },
    ],
    ...pool(rate),
  }),
  stress: () => ({
    executor: 'ramping-arrival-rate',
    startRate: rate,
    timeUnit: '1s',
    stages: [1, 2, 3, 4].flatMap((step) => [
      { target: rate * step, duration: '10s' },
      { target: rate * step, duration: __ENV.DURATION || '1m' },
    ]),
    ...pool(rate * 4),
  }),
  spike: () => ({
    executor: 'ramping-arrival-rate',
    startRate: rate,
    timeUnit: '1s',
    stages: [
      { target: rate, duration: '30s' },
      { target: rate * 10, duration: '5s' },
      { target: rate * 10, duration: '20s' },
      { target: rate, duration: '5s' },
      { target: rate, duration: '30s' },
    ],
    ...pool(rate * 10),
  }),
  soak: () => ({
    executor: 'constant-arrival-rate',
    rate,
    timeUnit: '1s',
    duration: __ENV.DURATION || '30m',
    ...pool(rate),
  }),
  chaos: () => ({
    executor: 'constant-arrival-rate',
    rate,
    timeUnit: '1s',
    duration: __ENV.DURATION || '2m',
    ...pool(rate),
  }),
  crowd: () => ({
    executor: 'ramping-vus',
    startVUs: 0,
    stages: [
      { target: vus, duration: __ENV.RAMP || '1m' },
      { target: vus, duration: __ENV.DURATION || '2m' },
    ],
    gracefulRampDown: '10s',
    gracefulStop: '10s',
  }),
  staircase: () => ({
    executor: 'ramping-vus',
    startVUs: 0,
    stages: steps.flatMap((target) => [
      { target, duration: stepRamp },
      { target, duration: stepHold },
    ]),
    gracefulRampDown: '5s',
    gracefulStop: '10s',
  }),
};

const profile = () => __ENV.PROFILE || 'smoke';
const peopleProfiles = ['crowd', 'staircase'];

/** True when VUs are people who log in once and keep shopping (crowd, staircase). */
export const vusArePeople = () => peopleProfiles.includes(profile());

/**
 * THINK: `tpcw` (TPC-W's shopper: a negative-exponential pause of mean 7 s, cut at 70 s, TPC-W 1.8
 * clause 5.3.1.1), or "min-max" seconds drawn uniformly (e.g. 1-5), or one number of seconds.
 */
export const thinkModel = __ENV.THINK || (vusArePeople() ? 'tpcw' : '0');

function thinkSampler(spec) {
  if (spec === 'tpcw') return () => Math.min(70, -7 * Math.log(1 - Math.random()));
  const [min, max = min] = spec.split('-').map(Number);
  if (!(min >= 0 && max >= min)) throw new Error(`THINK must be tpcw or "min-max" seconds, not ${spec}`);
  return () => min + Math.random() * (max - min);
}

/** Seconds a person pauses between two steps, drawn from the THINK model. */
export const thinkSeconds = thinkSampler(thinkModel);

/**
 * The staircase step a request belongs to: the step's shopper count while it is held, 'ramp' while the
 * shoppers are arriving (the report measures held steps only). Undefined for other profiles.
 */
export function stepAt(elapsedSeconds) {
  if (profile() !== 'staircase') return undefined;
  const ramp = seconds(stepRamp);
  const hold = seconds(stepHold);
  const index = Math.floor(elapsedSeconds / (ramp + hold));
  if (index >= steps.length) return 'end';
  return elapsedSeconds - index * (ramp + hold) < ramp ? 'ramp' : String(steps[index]);
}

/**
 * k6 keeps a figure per tag combination only for the submetrics a threshold names, so the staircase
 * asks for each step's figures this way (`max>=0` and friends always hold: they are read, not judged).
 */
export function staircaseThresholds(routes, statuses, reasons) {
  if (profile() !== 'staircase') return {};
  const thresholds = {};
  for (const step of [...steps, 'arrival']) {
    thresholds[`http_reqs{step:${step}}`] = ['count>=0'];
    thresholds[`http_req_failed{step:${step}}`] = ['rate>=0'];
    thresholds[`http_req_duration{step:${step}}`] = ['max>=0'];
    thresholds[`orders_accepted{step:${step}}`] = ['count>=0'];
    thresholds[`orders_settled{step:${step}}`] = ['count>=0'];
    thresholds[`iterations{step:${step}}`] = ['count>=0'];
    for (const route of routes) {
      thresholds[`http_req_duration{step:${step},name:${route}}`] = ['max>=0'];
      thresholds[`http_reqs{step:${step},name:${route}}`] = ['count>=0'];
    }
    for (const status of statuses) thresholds[`http_reqs{step:${step},status:${status}}`] = ['count>=0'];
    for (const reason of reasons) thresholds[`shed_responses{step:${step},reason:${reason}}`] = ['count>=0'];
  }
  return thresholds;
}

/** The `admin` scenario when ADMIN_RATE asks for one: constant writes for the profile's duration. */
function adminWrites(profile) {
  const adminRate = Number(__ENV.ADMIN_RATE || 0);
  if (!(adminRate > 0)) return {};
  const durations = { smoke: '20s', soak: '30m', chaos: '2m' };
  if (!durations[profile]) throw new Error(`ADMIN_RATE needs a constant profile (smoke, soak, chaos), not ${profile}`);
  return {
    admin: {
      executor: 'constant-arrival-rate',
      rate: adminRate,
      timeUnit: '1s',
      duration: __ENV.DURATION || durations[profile],
      preAllocatedVUs: Math.ceil(adminRate * 2),
      maxVUs: Math.ceil(adminRate * 8),
      exec: 'adminWrite',
    },
  };
}

/** k6 `scenarios` for the chosen profile, the scenario named after the profile (and `admin`, see above). */
export function scenariosFor(defaultProfile = 'smoke') {
  const profile = __ENV.PROFILE || defaultProfile;
  const make = profiles[profile];
  if (!make) throw new Error(`unknown PROFILE ${profile}; one of ${Object.keys(profiles).join(', ')}`);
  return { [profile]: make(), ...adminWrites(profile) };
}

/** Shoppers to register in setup: enough for the profile's peak concurrency, never fewer than VUS. */
export function shopperCount() {
  return profile() === 'smoke' ? vus : Math.min(50, Math.max(vus, Math.ceil(rate * 2)));
}
