/**
 * The local supervisor against the live stack: processes SIGKILLed with nothing scripted to restart
 * them come back, and the restart shows where a user looks (`stack status`, run as a user would) and
 * in Prometheus; a held process stays down until `up <name>` (or release(), the chaos runner's way,
 * not counted as a restart); a service whose event loop is stuck is killed by its liveness probe and
 * restarted, a SIGSTOPped one is not; a killed supervisor shows as DOWN and the next `up` adopts the
 * running stack without starting anything twice.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Component } from '@confeitaria/stack/component';
import { repoRoot } from '@confeitaria/stack/paths';
import { host, ports } from '@confeitaria/stack/ports';
import { descendantNamed, livePid } from '@confeitaria/stack/process';
import { components, waitHealthy } from '@confeitaria/stack/stack';
import {
  hold,
  release,
  restartCounts,
  type SupervisorEvent,
  supervisorEvents,
  wanted,
} from '@confeitaria/stack/supervision';
import { promQuery } from './support/endpoints';
import { waitFor } from './support/wait';

/** Runs the stack CLI as a user would (`npm run stack -- ...` without the build). */
function cli(...args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(repoRoot, 'stack', 'dist', 'src', 'cli.js'), ...args],
      { cwd: repoRoot, timeout: 300_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` }),
    );
  });
}

interface Row {
  pid: string;
  supervised: string;
  restarts: string;
  health: string;
}

/** One component's row of `stack status` (columns are two or more spaces apart). */
async function statusRow(name: string): Promise<Row & { code: number }> {
  const { code, output } = await cli('status');
  const line = output.split('\n').find((candidate) => candidate.startsWith(`${name} `));
  assert.ok(line, `${name} in stack status:\n${output}`);
  const [, , pid = '', supervised = '', restarts = '', health = ''] = line.split(/\s{2,}/);
  return { code, pid, supervised, restarts, health };
}

const component = (name: string): Component => {
  const found = components().find((candidate) => candidate.name === name);
  assert.ok(found, name);
  return found;
};

/** Waits until the component runs under a pid other than `old` and is healthy; returns the new pid. */
const backUnderNewPid = (name: string, old: number | undefined, timeoutMs = 90_000) =>
  waitFor(
    `${name} back under a new pid, healthy`,
    async () => {
      const pid = await component(name).pid();
      return pid !== undefined && pid !== old && (await component(name).health()).ok ? pid : undefined;
    },
    timeoutMs,
  );

/** The restarts the supervisor itself counts now (its /metrics), not what Prometheus last scraped. */
const restartsInSupervisor = async (name: string): Promise<number> => {
  const text = await (await fetch(`http://${host}:${ports.supervisor}/metrics`)).text();
  return [...text.matchAll(/^stack_restarts_total\{([^}]*)\} (\S+)$/gm)]
    .filter(([, labels]) => labels?.includes(`component="${name}"`) && /reason="(exit|liveness)"/.test(labels))
    .reduce((sum, [, , value]) => sum + Number(value), 0);
};

const restartsInPrometheus = async (name: string, reason = 'exit|liveness') => {
  const [sample] = await promQuery(`sum(stack_restarts_total{component="${name}", reason=~"${reason}"})`);
  return sample ? Number(sample.value[1]) : undefined;
};

const eventsOf = (name: string, since: number, type: SupervisorEvent['type']) =>
  supervisorEvents(since).filter((event) => event.component === name && event.type === type);

/**
 * Stops a Node process's event loop for real, without a signal that stops the process: SIGUSR1 opens
 * its inspector (on 127.0.0.1:9229), and Debugger.pause halts its JavaScript until the session closes.
 * It is alive and not stopped (state S, not T), and answers nothing: a process that cannot make progress.
 */
async function pauseInDebugger(pid: number): Promise<WebSocket> {
  process.kill(pid, 'SIGUSR1');
  const [target] = await waitFor('the inspector to open', async () => {
    const list = await fetch('http://127.0.0.1:9229/json/list').then(
      (response) => response.json() as Promise<{ webSocketDebuggerUrl: string }[]>,
      () => undefined,
    );
    return list?.length ? list : undefined;
  });
  const session = new WebSocket(target?.webSocketDebuggerUrl ?? '');
  await new Promise((resolve, reject) => {
    session.addEventListener('open', resolve);
    session.addEventListener('error', reject);
  });
  const paused = new Promise((resolve) =>
    session.addEventListener('message', (message) => {
      if (String(message.data).includes('"Debugger.paused"')) resolve(true);
    }),
  );
  session.send(JSON.stringify({ id: 1, method: 'Debugger.enable' }));
  session.send(JSON.stringify({ id: 2, method: 'Debugger.pause' }));
  await Promise.race([paused, sleep(10_000).then(() => assert.fail('the service did not pause in the debugger'))]);
  return session;
}

/** Every service ready again, so the files after this one find the shop as they expect it. */
async function everythingHealthy(): Promise<void> {
  for (const each of components()) {
    await waitFor(`${each.name} healthy`, async () => ((await each.health()).ok ? true : undefined), 90_000);
  }
}

describe('local supervisor', () => {
  after(async () => {
    // Whatever a failed test left held or down comes back (up releases holds), then the shop is whole.
    await cli('up');
    await everythingHealthy();
  });

  test('a SIGKILLed service with nothing scripted to restart it comes back, counted in stack status and Prometheus', async () => {
    assert.ok(wanted('notifications'), 'up made notifications wanted');
    await waitFor('the supervisor scraped by Prometheus', () => restartsInPrometheus('notifications'));
    // From the supervisor, not Prometheus: right after the stack was restarted (the test before this
    // one), Prometheus may still answer the previous supervisor's last count, and a CI run waited for
    // one more than a count the new supervisor never reached.
    const before = await restartsInSupervisor('notifications');
    const pid = await component('notifications').pid();
    assert.ok(pid, 'notifications runs');
    const since = Date.now();
    process.kill(pid, 'SIGKILL');

    const restarted = await backUnderNewPid('notifications', pid);
    const [exit] = eventsOf('notifications', since, 'exit');
    assert.equal(exit?.type === 'exit' && exit.pid, pid, 'the exit is journalled with the pid that died');
    assert.equal(eventsOf('notifications', since, 'restart').length, 1, 'restarted once');

    const row = await statusRow('notifications');
    assert.equal(row.pid, String(restarted));
    assert.equal(row.supervised, 'wanted');
    assert.match(row.restarts, /^\d+ \(\d+ s ago\)$/, `restarts column: ${row.restarts}`);
    assert.match((await statusRow('supervisor')).health, /^ok: watching \d+ components, [1-9]\d* restarts/);

    await waitFor(
      'Prometheus to count the restart',
      async () => ((await restartsInPrometheus('notifications')) ?? 0) >= before + 1 || undefined,
      30_000,
    );
  });

  test('a held service is left down after SIGKILL until `up <name>` releases and starts it', async () => {
    const held = await cli('hold', 'payments');
    assert.equal(held.code, 0, held.output);
    const pid = await component('payments').pid();
    assert.ok(pid, 'payments runs');
    const since = Date.now();
    process.kill(pid, 'SIGKILL');

    // The supervisor saw it go (journalled as a held exit) and, several back-off delays later, left it down.
    await waitFor('the held exit journalled', async () => eventsOf('payments', since, 'exit')[0], 10_000);
    await sleep(6_000);
    assert.equal(await component('payments').pid(), undefined, 'not restarted while held');
    assert.deepEqual([...eventsOf('payments', since, 'restart'), ...eventsOf('payments', since, 'start')], []);
    const row = await statusRow('payments');
    assert.equal(row.supervised, 'held (cli)');
    assert.match(row.health, /^DOWN/);

    const up = await cli('up', 'payments');
    assert.equal(up.code, 0, up.output);
    assert.ok((await component('payments').health()).ok, 'payments healthy after up');
    assert.equal((await statusRow('payments')).supervised, 'wanted', 'up ended the hold');
    assert.ok(wanted('payments'));
  });

  test("a fault window the chaos runner's way: hold(), SIGKILL, release(); the supervisor starts it at once, not counted as a restart", async () => {
    const orders = component('orders');
    const pid = await orders.pid();
    assert.ok(pid, 'orders runs');
    const countBefore = restartCounts().orders?.count ?? 0;
    const since = Date.now();
    await hold('orders', 'test-fault');
    process.kill(pid, 'SIGKILL');
    await sleep(3_000);
    assert.equal(await orders.pid(), undefined, 'held down for the window');
    await release('orders', 'test-fault');
    assert.ok((await waitHealthy(orders, 45_000)).ok, 'waitHealthy waits while the supervisor starts it');
    // The supervisor journals `restarted` once it has seen the process healthy itself, which may be a
    // poll after waitHealthy saw it (CI found that race on a loaded machine).
    const journal = () =>
      supervisorEvents(since)
        .filter((event) => event.component === 'orders')
        .map((event) => event.type);
    await waitFor('the supervisor to journal the start as done', async () =>
      journal().includes('restarted') ? true : undefined,
    );
    assert.deepEqual(journal(), ['held', 'exit', 'released', 'start', 'restarted']);
    assert.equal(restartCounts().orders?.count ?? 0, countBefore, 'a planned kill is not a restart');
    assert.ok(wanted('orders'));
  });

  test('a stopped service is not supervised: nothing restarts it until `up <name>`', async () => {
    const stopped = await cli('stop', 'identity');
    assert.equal(stopped.code, 0, stopped.output);
    const row = await statusRow('identity');
    assert.deepEqual([row.pid, row.supervised], ['-', '-']);
    await sleep(3_000);
    assert.equal(await component('identity').pid(), undefined, 'still down');
    const up = await cli('up', 'identity');
    assert.equal(up.code, 0, up.output);
    assert.equal((await statusRow('identity')).supervised, 'wanted');
  });

  test('SIGKILLed infrastructure comes back: Redis, and the RabbitMQ VM under its runuser wrapper', async () => {
    const since = Date.now();
    const redis = livePid('redis');
    assert.ok(redis, 'redis runs');
    process.kill(redis, 'SIGKILL');
    await backUnderNewPid('redis', redis);

    const wrapper = await component('rabbitmq').pid();
    const vm = wrapper === undefined ? undefined : descendantNamed(wrapper, 'beam.smp');
    assert.ok(vm, 'the beam.smp of our RabbitMQ node');
    process.kill(vm, 'SIGKILL');
    await backUnderNewPid('rabbitmq', wrapper, 120_000);
    for (const name of ['redis', 'rabbitmq']) {
      assert.equal(eventsOf(name, since, 'restart').length, 1, `${name} restarted once`);
      assert.ok((await statusRow(name)).restarts.startsWith(String(eventsOf(name, 0, 'restart').length)));
    }
    // The services reconnect on their own: the shop is whole again without anyone restarting them.
    await everythingHealthy();
  });

  test('a service whose event loop is stuck is killed by its liveness probe and restarted; a SIGSTOPped one is left alone', async () => {
    const stuck = await component('cart').pid();
    const paused = await component('notifications').pid();
    assert.ok(stuck && paused, 'cart and notifications run');
    const since = Date.now();
    // A chaos pause: stopped by signal, it cannot answer either, and must not be killed for it.
    process.kill(paused, 'SIGSTOP');
    const debuggerSession = await pauseInDebugger(stuck);
    try {
      const [failed] = await waitFor(
        "cart's liveness probe to give up",
        async () => {
          const found = eventsOf('cart', since, 'liveness-failed');
          return found.length ? found : undefined;
        },
        90_000,
      );
      const waited = (failed?.at ?? 0) - since;
      assert.ok(
        waited >= 25_000,
        `killed after ${(waited / 1000).toFixed(1)} s of failed probes, not at the first one`,
      );
      assert.deepEqual(eventsOf('notifications', since, 'liveness-failed'), [], 'the SIGSTOPped one is not killed');
      assert.equal(await component('notifications').pid(), paused);
    } finally {
      process.kill(paused, 'SIGCONT');
      debuggerSession.close();
    }
    await backUnderNewPid('cart', stuck);
    const [exit] = eventsOf('cart', since, 'exit');
    assert.equal(exit?.type === 'exit' && exit.reason, 'liveness');
    await waitFor(
      'Prometheus to count a liveness restart',
      async () => ((await restartsInPrometheus('cart', 'liveness')) ?? 0) >= 1 || undefined,
      30_000,
    );
  });

  test('a killed supervisor shows as DOWN; up starts a new one that adopts the stack and starts nothing twice', async () => {
    const supervisor = livePid('supervisor');
    assert.ok(supervisor, 'the supervisor runs');
    const supervised = components().filter((each) => each.kind !== 'supervisor');
    const pidsBefore = await Promise.all(supervised.map((each) => each.pid()));
    process.kill(supervisor, 'SIGKILL');
    await waitFor('the supervisor gone', async () => (livePid('supervisor') === undefined ? true : undefined));

    const down = await statusRow('supervisor');
    assert.equal(down.code, 1, 'status exits 1 while the supervisor is down');
    assert.match(down.health, /^DOWN/);

    const up = await cli('up');
    assert.equal(up.code, 0, up.output);
    const adopter = livePid('supervisor');
    assert.ok(adopter && adopter !== supervisor, 'a new supervisor');
    assert.deepEqual(await Promise.all(supervised.map((each) => each.pid())), pidsBefore, 'no pid changed');
    assert.equal((await cli('up')).code, 0);
    assert.equal(livePid('supervisor'), adopter, 'a second up reuses the running supervisor');

    // The adopter supervises what it did not start.
    const gateway = await component('gateway').pid();
    assert.ok(gateway);
    process.kill(gateway, 'SIGKILL');
    await backUnderNewPid('gateway', gateway);
    await everythingHealthy();
    assert.equal((await statusRow('supervisor')).code, 0, 'status exits 0 again');
  });
});
