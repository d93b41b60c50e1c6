/**
 * The VUs a chaos run's load needs, every one of them allocated before the baseline. An arrival-rate
 * executor needs a VU in hand for every iteration in flight (Little's law: the rate times how long one
 * iteration holds its VU, ITERATION_S); a VU k6 must initialise mid-run comes too late, and the
 * iterations it misses are dropped, which makes the run INVALID (validity.ts). A fault that slows the
 * saga lengthens every iteration, so the pool is three times the resting need.
 *
 * A journey VU shops as one shopper (one cart: two VUs sharing it would see each other's items come
 * and go). Were each VU to sign up on its first iteration, a pool allocated up front would sign them all
 * up in the first second of the baseline and meet the login throttle; so the shoppers are seeded once
 * (stack `seedShoppers`: registered through the API on the first run, reused after) and signed in before
 * the load starts, as returning customers whose session is still open (CROWD_TOKENS).
 */
import { join } from 'node:path';
import { runDir } from '@confeitaria/stack/paths';
import { seedShoppers, signInShoppers } from '@confeitaria/stack/shoppers';
import type { LoadScript } from '../scenario';

/** Seconds one journey holds its VU at rest (it polls the saga to its end): loadtest/lib/profiles.js. */
export const ITERATION_S = 10;
/** How much longer than at rest an iteration may take under a fault before the pool runs short. */
export const POOL_HEADROOM = 3;

export interface VuPool {
  /** The load scenario's VUs (its maxVUs and preAllocatedVUs). */
  load: number;
  /** The admin scenario's at most (loadtest/lib/profiles.js adminWrites: 8 per write per second). */
  admin: number;
}

export function vuPool(rate: number, adminRate: number): VuPool {
  return {
    load: Math.ceil(rate * ITERATION_S * POOL_HEADROOM),
    admin: adminRate > 0 ? Math.ceil(adminRate * 8) : 0,
  };
}

/** Where the signed-in shoppers' tokens wait for k6: the stack's run folder, never a report. */
export const chaosTokensFile = join(runDir, 'chaos-shopper-tokens.json');

export interface PreparedLoad {
  /** k6's environment: the pool, and for a journey the shoppers it shops as. */
  env: Record<string, string>;
  /** What was done, for the runner's output: shoppers registered, signed in, seconds. */
  summary: string;
}

/**
 * The pool's k6 environment; for the journey, shoppers 1…n (n: every VU of the run, admin VUs
 * included, as k6 numbers VUs across scenarios) registered if missing and signed in.
 */
export async function prepareLoad(script: LoadScript, pool: VuPool): Promise<PreparedLoad> {
  const env = { MAX_VUS: String(pool.load), PREALLOCATE_ALL: '1' };
  if (script !== 'journey') return { env, summary: `${pool.load} VUs allocated up front` };
  const count = pool.load + pool.admin;
  const seeded = await seedShoppers(count);
  const signedIn = await signInShoppers(count, { file: chaosTokensFile });
  const registered = seeded.registered > 0 ? `, ${seeded.registered} of them registered first` : '';
  const retried = signedIn.shedAndRetried > 0 ? `, ${signedIn.shedAndRetried} logins retried after Retry-After` : '';
  return {
    env: { ...env, SHOPPERS: String(count), CROWD_TOKENS: signedIn.file },
    summary: `${pool.load} VUs allocated up front; ${count} shoppers signed in in ${signedIn.seconds.toFixed(1)} s${registered}${retried}`,
  };
}
