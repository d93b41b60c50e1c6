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
//
// ADMIN_RATE (per second, default 0 = none) adds admin stock writes beside a constant profile (smoke,
// soak, chaos): k6 scenario `admin`, running the script's exported `adminWrite` (journey, browse).
const rate = Number(__ENV.RATE || 5);
const vus = Number(__ENV.VUS || 3);

// Arrival-rate executors need VUs in hand for iterations that wait on the saga (up to ~5 s each).
const pool = (peak) => ({ preAllocatedVUs: Math.ceil(peak * 2), maxVUs: Math.ceil(peak * 8) });

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
};

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
  const profile = __ENV.PROFILE || 'smoke';
  return profile === 'smoke' ? vus : Math.min(50, Math.max(vus, Math.ceil(rate * 2)));
}
