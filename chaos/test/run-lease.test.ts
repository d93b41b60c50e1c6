import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureTool } from '@confeitaria/stack/tools';
import { FaultInjector } from '../src/runner/fault-injector';
import type { ProcessDriver } from '../src/runner/process-driver';
import { leaseFile, RunLease } from '../src/runner/run-lease';

process.env.CHAOS_LEASE_DIR = mkdtempSync(join(tmpdir(), 'chaos-lease-'));

/** A stack of one process, `payments`, held down by the runner that died (the real Toxiproxy besides). */
function heldDownStack() {
  const calls: string[] = [];
  let up = false;
  const driver = {
    mode: 'local',
    names: () => ['payments'],
    running: async () => up,
    resume: async (name: string) => {
      calls.push(`resume ${name}`);
    },
    start: async (name: string) => {
      calls.push(`start ${name}`);
      up = true;
    },
  } as unknown as ProcessDriver;
  return { driver, calls };
}

/** A pid that existed and is gone. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await once(child, 'exit');
  return child.pid as number;
}

test('a lease left by a runner that died: its k6 stopped, its toxics gone, its held process started, then the lease is ours', async () => {
  const { driver, calls } = heldDownStack();
  const injector = new FaultInjector(driver);
  // What a SIGKILLed runner leaves: a toxic on a proxy, and its k6 still loading (a real k6 here).
  const [proxy] = await injector.proxyNames();
  assert.ok(proxy, 'Toxiproxy has proxies');
  await (await injector.toxiproxy.get(proxy)).addToxic({
    name: 'chaos-latency-0',
    type: 'latency',
    stream: 'downstream',
    toxicity: 1,
    attributes: { latency: 1, jitter: 0 } as never,
  });
  const dir = mkdtempSync(join(tmpdir(), 'k6-orphan-'));
  writeFileSync(join(dir, 'wait.js'), "import { sleep } from 'k6';\nexport default function () { sleep(60); }\n");
  const k6 = spawn(await ensureTool('k6'), ['run', '--quiet', join(dir, 'wait.js')], {
    stdio: 'ignore',
    env: { ...process.env, K6_NO_USAGE_REPORT: 'true' },
  });
  const k6Exit = once(k6, 'exit');
  await sleep(500);
  const dead = await deadPid();
  writeFileSync(
    leaseFile(),
    JSON.stringify({ pid: dead, scenario: 'db-latency', startedAt: '2026-12-06T10:00:00.000Z', k6Pid: k6.pid }),
  );

  const lease = await RunLease.take('broker-outage', driver, injector);
  assert.ok(lease instanceof RunLease, String(lease));
  const [, signal] = await k6Exit;
  assert.equal(signal, 'SIGKILL', "the dead runner's k6 was stopped");
  assert.deepEqual(await injector.leftovers(), [], 'no toxic left on any proxy');
  assert.deepEqual(calls, ['resume payments', 'start payments']);
  const ours = JSON.parse(readFileSync(leaseFile(), 'utf8'));
  assert.equal(ours.pid, process.pid);
  assert.equal(ours.scenario, 'broker-outage');
  lease.k6(12345);
  assert.equal(JSON.parse(readFileSync(leaseFile(), 'utf8')).k6Pid, 12345);
  lease.release();
  assert.equal(existsSync(leaseFile()), false, 'released at the end of the run');
});

test('a lease whose runner still runs: this experiment does not start, and the lease is not touched', async () => {
  const { driver, calls } = heldDownStack();
  const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
  try {
    const held = { pid: other.pid, scenario: 'db-latency', startedAt: '2026-12-06T10:00:00.000Z' };
    writeFileSync(leaseFile(), JSON.stringify(held));
    const refused = await RunLease.take('broker-outage', driver, new FaultInjector(driver));
    assert.equal(typeof refused, 'string');
    assert.match(
      refused as string,
      new RegExp(`^another chaos runner \\(pid ${other.pid}\\) has been running db-latency since`),
    );
    assert.deepEqual(calls, [], 'nothing restored under a live runner');
    assert.deepEqual(JSON.parse(readFileSync(leaseFile(), 'utf8')), held);
  } finally {
    other.kill();
  }
});

test('an unreadable lease, or none, is no obstacle', async () => {
  const { driver, calls } = heldDownStack();
  writeFileSync(leaseFile(), 'not json');
  const lease = await RunLease.take('db-latency', driver, new FaultInjector(driver));
  assert.ok(lease instanceof RunLease);
  assert.deepEqual(calls, []);
  lease.release();
  const again = await RunLease.take('db-latency', driver, new FaultInjector(driver));
  assert.ok(again instanceof RunLease);
  (again as RunLease).release();
});
