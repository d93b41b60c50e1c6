/**
 * Global setup for `npm test`: the integration tests run against the real local stack. Uses a stack
 * that is already up, or starts one (building tools and installing nothing by hand) and stops it again
 * when the run ends.
 */
import { parkedBefore } from '@confeitaria/chaos/audit/auditor';
import { repoRoot } from '@confeitaria/stack/paths';
import { down, runningFrom, status, up } from '@confeitaria/stack/stack';

let startedHere = false;

export async function globalSetup(): Promise<void> {
  const rows = await status();
  if (rows.every((row) => row.health.startsWith('ok')) && runningFrom() === repoRoot) {
    console.log('using the stack that is already up');
  } else {
    // A stack started from another checkout runs other code: stop it, and test this checkout's.
    if (runningFrom() !== repoRoot) await down();
    startedHere = true;
    await up();
  }
  // A reused stack may hold messages parked by an earlier run: the audits judge what this run parks
  // (support/audit.ts reads this), and report the others.
  process.env.CONFEITARIA_PARKED_BEFORE = JSON.stringify(await parkedBefore());
}

export async function globalTeardown(): Promise<void> {
  if (!startedHere || process.env.KEEP_STACK === 'true') return;
  const held = await down();
  if (held.length) throw new Error(`ports still held after stack down: ${held.join(', ')}`);
}
