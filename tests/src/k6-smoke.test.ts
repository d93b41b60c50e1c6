import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { runK6 } from '@confeitaria/stack/dist/src/k6';
import { assertAuditClean } from './support/audit';

interface Summary {
  metrics: Record<string, { thresholds?: Record<string, boolean> } & Record<string, unknown>>;
}

test('the k6 shopper journey passes its thresholds, writes a JSON summary, and every order it placed is accounted for', async () => {
  const { exitCode, summaryFile, ledger } = await runK6('journey', { env: { DURATION: '10s', VUS: '2' } });
  const summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as Summary;
  const thresholds = Object.entries(summary.metrics).flatMap(([metric, values]) =>
    Object.entries(values.thresholds ?? {}).map(([expr, failed]) => ({ metric, expr, failed })),
  );
  assert.ok(thresholds.length >= 4, `thresholds evaluated: ${JSON.stringify(thresholds)}`);
  assert.deepEqual(
    thresholds.filter((t) => t.failed),
    [],
    'no threshold failed',
  );
  assert.equal(exitCode, 0);
  assert.ok(Number(summary.metrics.iterations?.count) > 0, 'iterations ran');
  assert.ok(ledger.length > 0, 'the client ledger recorded accepted orders');
  await assertAuditClean(ledger);
});
