import assert from 'node:assert/strict';
import { audit } from '@confeitaria/chaos/audit/auditor';

/**
 * Runs the auditor (waiting for the saga to settle) and fails the test naming every violation. Messages
 * parked before the test run started (global-setup.ts) are reported, not counted.
 */
export async function assertAuditClean(ledger: string[], settleMs = 60_000): Promise<void> {
  const parkedBefore = JSON.parse(process.env.CONFEITARIA_PARKED_BEFORE ?? '{}') as Record<string, number>;
  const report = await audit({ ledger, settleMs, parkedBefore });
  const violations = report.results.filter((r) => !r.ok).map((r) => `${r.id}. ${r.name}: ${r.violations.join('; ')}`);
  assert.deepEqual(violations, [], 'auditor clean');
}
