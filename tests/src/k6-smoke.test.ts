import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { runK6 } from '@confeitaria/stack/k6';
import { repoRoot } from '@confeitaria/stack/paths';
import { assertAuditClean } from './support/audit';
import { gatewayUrl } from './support/endpoints';
import { waitFor } from './support/wait';

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

test('`stack up --traffic` keeps shoppers going until it is stopped, then leaves the stack up', async () => {
  const cli = join(repoRoot, 'stack', 'dist', 'src', 'cli.js');
  const child = spawn(process.execPath, [cli, 'up', '--traffic'], {
    env: { ...process.env, VUS: '3', THINK: '0-1', RAMP: '2s', DURATION: '10m' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  try {
    await waitFor(
      'the traffic started',
      async () => (output.includes('▸ demo traffic: 3 shoppers') ? true : undefined),
      120_000,
    );
    // Long enough for the shoppers to ramp in and shop; far short of the 10 minutes asked for.
    await sleep(15_000);
    assert.equal(child.exitCode, null, `still running: ${output.slice(-400)}`);
    child.kill('SIGTERM');
    const [code] = await exited;
    assert.equal(code, 0, output.slice(-800));
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
  const summary = output.match(/summary (\S+summary\.json)/)?.[1];
  assert.ok(summary, output.slice(-800));
  const metrics = (JSON.parse(readFileSync(summary, 'utf8')) as Summary).metrics;
  assert.ok(Number(metrics.http_reqs?.count) > 20, `requests made: ${metrics.http_reqs?.count}`);
  const gateway = await fetch(`${gatewayUrl}/api/categories`);
  assert.equal(gateway.status, 200, 'the stack is still up');
});
