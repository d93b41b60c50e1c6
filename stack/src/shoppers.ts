/**
 * `npm run stack -- shoppers [count]`: the crowd's shopper population (loadtest/seed-shoppers.js),
 * seeded once through the public API and reused by every crowd run after (SHOPPERS=count). Which of
 * shopper-1 … shopper-<count> already exist is read from identity's database, so a second call costs
 * nothing and an interrupted one resumes where it stopped.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { Agent, fetch } from 'undici';
import { postgresUrl } from './components/postgres';
import { crowdCanSpread, type K6Result, runK6 } from './k6';
import { repoRoot, runDir } from './paths';
import { host, ports } from './ports';

const pattern = /^shopper-(\d+)@crowd\.confeitaria\.test$/;
/** Shopper n's address and the crowd's password, as loadtest/lib/shop.js signs them in. */
export const crowdEmail = (n: number) => `shopper-${n}@crowd.confeitaria.test`;
export const crowdPassword = process.env.CROWD_PASSWORD ?? 'confeitaria-crowd';

/** The shopper numbers among 1…count that have an account. */
async function existingShoppers(count: number): Promise<Set<number>> {
  const client = new pg.Client({ connectionString: postgresUrl('primary', 'identity') });
  await client.connect();
  try {
    const { rows } = await client.query<{ email: string }>(
      "SELECT email FROM users WHERE email LIKE 'shopper-%@crowd.confeitaria.test'",
    );
    const numbers = rows.map((row) => Number(pattern.exec(row.email)?.[1] ?? 0));
    return new Set(numbers.filter((n) => n >= 1 && n <= count));
  } finally {
    await client.end();
  }
}

export interface SeedResult {
  count: number;
  alreadyThere: number;
  registered: number;
  k6?: K6Result;
}

/** Makes sure shoppers 1…count exist; registers the missing ones through the gateway. */
export async function seedShoppers(count: number, options: { quiet?: boolean } = {}): Promise<SeedResult> {
  if (!(Number.isInteger(count) && count >= 1))
    throw new Error(`shoppers: count must be a positive integer, not ${count}`);
  const existing = await existingShoppers(count);
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((n) => !existing.has(n));
  if (!missing.length) return { count, alreadyThere: existing.size, registered: 0 };
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const outDir = join(repoRoot, 'reports', `${stamp}-k6-seed-shoppers`);
  mkdirSync(outDir, { recursive: true });
  const list = join(outDir, 'shopper-numbers.json');
  writeFileSync(list, JSON.stringify(missing));
  const k6 = await runK6('seed-shoppers', { outDir, env: { SHOPPER_LIST: list }, quiet: options.quiet ?? true });
  if (k6.exitCode !== 0) throw new Error(`seeding shoppers failed (k6 exit ${k6.exitCode}); see ${outDir}`);
  return { count, alreadyThere: existing.size, registered: missing.length, k6 };
}

export interface SignInResult {
  /** JSON array of access tokens, shopper n's at index n − 1 (loadtest/lib/shop.js reads it as CROWD_TOKENS). */
  file: string;
  count: number;
  seconds: number;
  /** Logins refused with Retry-After (identity's hashing queue, the per-address throttle) and retried. */
  shedAndRetried: number;
}

/** Where the signed-in crowd's tokens are kept between the sign-in and the k6 run that uses them. */
export const crowdTokensFile = join(runDir, 'crowd-tokens.json');

/**
 * Signs shoppers 1…count in through the gateway before a run, as returning customers whose session is
 * still open: the run then measures shopping, not a login storm (a thousand argon2 hashes in the
 * seconds a step's shoppers arrive in, which would eat a core that the held steps then lack). Four
 * logins at a time, each shopper from its own loopback address as the crowd sends (so the per-address
 * throttle sees the crowd, not one client), every 429/503 waited out by its Retry-After; to the
 * gateway at BASE_URL when it is set (a capacity run's own shop), as k6 is. The tokens
 * live ACCESS_TOKEN_TTL_SECONDS (an hour by default), longer than any capacity run.
 */
export async function signInShoppers(
  count: number,
  options: { file?: string; onProgress?: (done: number, count: number) => void } = {},
): Promise<SignInResult> {
  const file = options.file ?? crowdTokensFile;
  // The gateway k6 is sent to (BASE_URL, as stack/src/k6.ts reads it), else the stack's.
  const gateway = process.env.BASE_URL ?? `http://${host}:${ports.gateway}`;
  const started = Date.now();
  const spread = await crowdCanSpread(gateway);
  const agents = new Map<string, Agent>();
  const agentFor = (n: number) => {
    const address = spread ? `127.0.0.${2 + ((n - 1) % 249)}` : host;
    const known = agents.get(address);
    if (known) return known;
    const agent = new Agent({ localAddress: address });
    agents.set(address, agent);
    return agent;
  };
  const tokens: string[] = new Array(count);
  let shedAndRetried = 0;
  let next = 1;
  let done = 0;
  const signIn = async (n: number): Promise<string> => {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const response = await fetch(`${gateway}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: crowdEmail(n), password: crowdPassword }),
        dispatcher: agentFor(n),
      });
      const body = (await response.json().catch(() => ({}))) as { accessToken?: string };
      if (response.status === 200 && body.accessToken) return body.accessToken;
      const retryAfter = Number(response.headers.get('retry-after'));
      const shed = (response.status === 429 || response.status === 503) && retryAfter > 0;
      if (!shed || Date.now() + retryAfter * 1000 > deadline)
        throw new Error(`sign-in of shopper ${n}: ${response.status} ${JSON.stringify(body)}`);
      shedAndRetried++;
      await sleep(retryAfter * 1000 * (1 + Math.random() * 0.5));
    }
  };
  const worker = async () => {
    for (let n = next++; n <= count; n = next++) {
      tokens[n - 1] = await signIn(n);
      done++;
      if (done % 100 === 0 || done === count) options.onProgress?.(done, count);
    }
  };
  try {
    await Promise.all(Array.from({ length: 4 }, worker));
  } finally {
    await Promise.all([...agents.values()].map((agent) => agent.close()));
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(tokens), { mode: 0o600 });
  return { file, count, seconds: (Date.now() - started) / 1000, shedAndRetried };
}
