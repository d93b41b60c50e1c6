import assert from 'node:assert/strict';
import { audit } from '@confeitaria/chaos/dist/src/audit/auditor';

/** Runs the auditor (waiting for the saga to settle) and fails the test naming every violation. */
export async function assertAuditClean(ledger: string[], settleMs = 60_000): Promise<void> {
  const report = await audit({ ledger, settleMs });
  const violations = report.results.filter((r) => !r.ok).map((r) => `${r.id}. ${r.name}: ${r.violations.join('; ')}`);
  assert.deepEqual(violations, [], 'auditor clean');
}
