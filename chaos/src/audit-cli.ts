/**
 * `npm run audit [-- --ledger <file>] [--settle <seconds>] [--json]`: checks the invariants of
 * DESIGN.md §4 against the running stack's databases and broker, prints a table, and exits 1 when any
 * is violated (naming the orders or products involved).
 */
import { parseArgs } from 'node:util';
import { audit, readLedger } from './audit/auditor';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { ledger: { type: 'string' }, settle: { type: 'string', default: '60' }, json: { type: 'boolean' } },
  });
  const ledger = values.ledger ? await readLedger(values.ledger) : undefined;
  const report = await audit({
    ledger,
    settleMs: Number(values.settle) * 1000,
    onWait: (pending, moving, left) =>
      process.stderr.write(`  settling: ${pending} orders PENDING, ${moving} messages in flight, ${left} s left\n`),
  });
  if (values.json) {
    console.log(JSON.stringify(report, null, 2));
    return report.ok ? 0 : 1;
  }
  for (const result of report.results) {
    console.log(`${result.ok ? '✓' : '✗'} ${result.id}. ${result.name}`);
    console.log(`     checked: ${result.checked}`);
    for (const violation of result.violations) console.log(`     ✗ ${violation}`);
  }
  console.log(report.ok ? '\nauditor: all invariants hold' : '\nauditor: INVARIANTS VIOLATED');
  return report.ok ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    console.error(`auditor failed: ${error.message}`);
    process.exitCode = 2;
  },
);
