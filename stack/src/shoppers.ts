/**
 * `npm run stack -- shoppers [count]`: the crowd's shopper population (loadtest/seed-shoppers.js),
 * seeded once through the public API and reused by every crowd run after (SHOPPERS=count). Which of
 * shopper-1 … shopper-<count> already exist is read from identity's database, so a second call costs
 * nothing and an interrupted one resumes where it stopped.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { postgresUrl } from './components/postgres';
import { type K6Result, runK6 } from './k6';
import { repoRoot } from './paths';

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
