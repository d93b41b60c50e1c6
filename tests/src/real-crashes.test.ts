/**
 * The review's own experiment, as a test: under the shopper journey's load, the real RabbitMQ node and
 * then the real Postgres primary are SIGKILLed (the processes, not their proxies), held down for a
 * while, and started again with the stack's own command (`npm run stack -- up <name>`). No service
 * process may exit at any point; every service must be back on its feet (ready, and reconnected to the
 * dependency by itself) within 10 s of the dependency's return; and the auditor must be clean on the k6
 * client ledger.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { managementPortOf, serviceDefinitions } from '@confeitaria/stack/components/services';
import { runK6 } from '@confeitaria/stack/k6';
import { repoRoot } from '@confeitaria/stack/paths';
import { host } from '@confeitaria/stack/ports';
import { components } from '@confeitaria/stack/stack';
import { assertAuditClean } from './support/audit';
import { servicePids } from './support/crash';

const run = promisify(execFile);
/** The stack's own CLI, as `npm run stack --` runs it (after its build). */
const stack = (...args: string[]) =>
  run(process.execPath, [join(repoRoot, 'stack', 'dist', 'src', 'cli.js'), ...args], {
    cwd: repoRoot,
    timeout: 180_000,
  });

const brokerUsers = ['catalog-1', 'catalog-2', 'cart', 'payments', 'orders', 'notifications'];
const databaseUsers = ['identity', 'catalog-1', 'catalog-2', 'payments', 'orders', 'notifications'];
const portOf = (name: string) => {
  const definition = serviceDefinitions.find((candidate) => candidate.name === name);
  if (!definition) throw new Error(`no service ${name}`);
  return managementPortOf(definition);
};

/** True once the service is ready and its own metrics say it reaches `dependency` again. */
async function backOnItsFeet(service: string, dependency: string): Promise<boolean> {
  try {
    const base = `http://${host}:${portOf(service)}`;
    const ready = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(2_000) });
    if (ready.status !== 200) return false;
    const metrics = await (await fetch(`${base}/metrics`, { signal: AbortSignal.timeout(2_000) })).text();
    return new RegExp(`^dependency_up\\{dependency="${dependency}"\\} 1$`, 'm').test(metrics);
  } catch {
    return false;
  }
}

/** Seconds until every service is back, measured from the dependency's return; fails after 60 s. */
async function secondsUntilBack(services: string[], dependency: string, since: number): Promise<number> {
  const pending = new Set(services);
  while (pending.size > 0) {
    if (Date.now() - since > 60_000) throw new Error(`not back after 60 s: ${[...pending].join(', ')}`);
    for (const service of [...pending]) if (await backOnItsFeet(service, dependency)) pending.delete(service);
    await sleep(200);
  }
  return (Date.now() - since) / 1000;
}

/** SIGKILLs the component's real server process while the supervisor holds it down. */
async function killHeld(name: string, downMs: number): Promise<void> {
  const target = components().find((candidate) => candidate.name === name);
  if (!target) throw new Error(`no component ${name}`);
  await stack('hold', name);
  const pid = (await target.serverPid?.()) ?? (await target.pid());
  assert.ok(pid, `${name} runs`);
  process.kill(pid, 'SIGKILL');
  await sleep(downMs);
  assert.notEqual((await target.serverPid?.()) ?? (await target.pid()), pid, `${name} stayed down while held`);
}

test('SIGKILL of the real RabbitMQ node, then of the real Postgres primary, under load: no service exits, all are back within 10 s, nothing is lost', async () => {
  const pidsBefore = await servicePids();
  const load = runK6('journey', {
    profile: 'chaos',
    env: { RATE: '4', DURATION: '150s' },
    outDir: mkdtempSync(join(tmpdir(), 'real-crashes-')),
    testId: `real-crashes-${Date.now()}`,
    quiet: true,
  });
  await sleep(20_000);

  await killHeld('rabbitmq', 15_000);
  await stack('up', 'rabbitmq');
  const brokerBack = Date.now();
  const afterBroker = await secondsUntilBack(brokerUsers, 'rabbitmq', brokerBack);

  await sleep(20_000);
  await killHeld('postgres-primary', 10_000);
  await stack('up', 'postgres-primary');
  const databaseBack = Date.now();
  const afterDatabase = await secondsUntilBack(databaseUsers, 'postgres', databaseBack);

  const k6 = await load;
  console.log(
    `services back ${afterBroker.toFixed(1)} s after RabbitMQ, ${afterDatabase.toFixed(1)} s after Postgres; ${k6.ledger.length} orders accepted`,
  );
  assert.ok(afterBroker <= 10, `every broker client back within 10 s of RabbitMQ's return (took ${afterBroker} s)`);
  assert.ok(
    afterDatabase <= 10,
    `every database client back within 10 s of Postgres's return (took ${afterDatabase} s)`,
  );
  assert.deepEqual(await servicePids(), pidsBefore, 'no service process exited or was restarted');
  assert.ok(k6.ledger.length > 100, 'the load placed orders throughout');
  await assertAuditClean(k6.ledger, 180_000);
});
