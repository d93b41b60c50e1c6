/**
 * Issue 19's acceptance for the chaos runner, through its CLI against the live stack: a run whose load
 * generator fails is INVALID (never judged, rolled back at once, exit code 3, explained in the report),
 * and a process the scenario does not target dying in its fault phase fails the verdict, named; and
 * (issue 17.2) a trial whose faults were taken off behind the runner's back is INVALID ("did not
 * land") and left out of the trials' statistics.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { RunResult } from '@confeitaria/chaos/run-result';
import { components } from '@confeitaria/stack/stack';
import { assertRolledBack, chaos } from './support/chaos-cli';
import { toxiproxyUrl } from './support/endpoints';
import { admin, api } from './support/shop';

const readResult = (out: string) => JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as RunResult;

/** Enables or disables a Toxiproxy proxy, as an outage the runner did not cause. */
async function setProxy(name: string, enabled: boolean): Promise<void> {
  const response = await fetch(`${toxiproxyUrl}/proxies/${name}`, {
    method: 'POST',
    body: JSON.stringify({ enabled }),
  });
  assert.equal(response.status, 200, `toxiproxy ${name} enabled=${enabled}`);
}

/** The pid of the CLI's k6 child (the load generator), read from /proc. */
function k6Child(cliPid: number): number | undefined {
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (comm === 'k6' && ppid === cliPid) return Number(entry);
    } catch {
      // the process ended while we looked
    }
  }
  return undefined;
}

/** The last product of the first three listing pages, the ones k6's setup() restocks. */
async function lastShelfProduct(): Promise<{ id: number }> {
  let last: { id: number } | undefined;
  for (const page of [1, 2, 3]) {
    const list = await api<{ items: { id: number }[] }>('GET', `/api/products?page=${page}&pageSize=10`);
    last = list.body.items.at(-1) ?? last;
  }
  return last ?? assert.fail('no product on the shelf');
}

describe('a chaos run without a valid measurement', () => {
  test("when k6's setup() fails (the catalog's write path down at start), the run is INVALID: nothing applied, exit code 3, the report says why", async () => {
    // Setup restocks any shelf product under 100 units: make it write, on the last page it reads.
    const product = await lastShelfProduct();
    const lowered = await api('PUT', `/api/products/${product.id}/stock`, { token: await admin(), body: { stock: 5 } });
    assert.equal(lowered.status, 200);
    const out = mkdtempSync(join(tmpdir(), 'chaos-invalid-setup-'));
    let cut = false;
    try {
      const started = Date.now();
      const { code, output } = await chaos(
        ['scenario', 'catalog-primary-down', '--duration', '75', '--seed', '3', '--out', out],
        (text) => {
          // Once the pre-flight has passed and k6 is on its way: the outage the setup() then meets.
          if (!cut && text.includes('load: journey started')) {
            cut = true;
            void setProxy('catalog-postgres-primary', false);
          }
        },
        { SETUP_RETRY_S: '8' },
      );
      assert.ok(cut, `k6 was started:\n${output.slice(-1500)}`);
      assert.equal(code, 3, `exit code 3 means not judged:\n${output.slice(-1500)}`);
      assert.match(output, /INVALID, not judged \(not run\): catalog-primary-down/);
      const result = readResult(out);
      assert.match(
        result.invalid ?? '',
        new RegExp(
          `k6's setup\\(\\) failed \\(k6 exit code 107\\): "GoError: restock of product ${product.id} failed: 503`,
        ),
      );
      assert.match(result.verdict.reasons[0] ?? '', /^INVALID, not judged: k6 exited before its load started/);
      assert.deepEqual([result.faults, result.probes, result.phases], [[], [], []], 'no fault applied, nothing judged');
      // Setup retried the refused write for its budget before it gave up.
      const log = readFileSync(join(out, 'k6', 'k6-log.jsonl'), 'utf8');
      assert.match(log, new RegExp(`restock of product ${product.id}: answered 503; attempt 2`));
      assert.ok(Date.now() - started < 120_000, 'stopped at once, not after the planned phases');
      const report = readFileSync(join(out, 'report.md'), 'utf8');
      assert.match(report, /> \*\*INVALID, not judged: k6 exited before its load started; k6's setup\(\) failed/);
      // The runner's final rollback resets Toxiproxy: the outage it did not cause is gone too.
      await assertRolledBack();
      console.log(`INVALID reason: ${result.invalid}`);
    } finally {
      await setProxy('catalog-postgres-primary', true);
    }
  });

  test('when k6 dies in the fault phase, the run is INVALID and its faults are rolled back at once', async () => {
    const out = mkdtempSync(join(tmpdir(), 'chaos-invalid-exit-'));
    let killedAt: number | undefined;
    const { code, output } = await chaos(
      ['scenario', 'db-latency', '--duration', '75', '--seed', '5', '--out', out],
      (text, child) => {
        if (killedAt === undefined && /faults: latency@/.test(text) && child.pid) {
          const k6 = k6Child(child.pid);
          if (k6) {
            killedAt = Date.now();
            process.kill(k6, 'SIGKILL');
          }
        }
      },
    );
    assert.ok(killedAt, `k6 was killed while the faults were in force:\n${output.slice(-1500)}`);
    assert.equal(code, 3, output.slice(-1500));
    const result = readResult(out);
    assert.match(
      result.invalid ?? '',
      /^k6 exited at t = \d+ s \(fault phase\), \d+ s before the end of the recovery phase/,
    );
    assert.equal(result.faults.length, 3);
    for (const fault of result.faults) {
      assert.ok(
        fault.end - (killedAt as number) < 10_000,
        `${fault.id} rolled back ${fault.end - (killedAt as number)} ms after k6 died`,
      );
    }
    assert.deepEqual([result.probes, result.audit.results], [[], []], 'not judged, not audited');
    await assertRolledBack();
    console.log(`INVALID reason: ${result.invalid}`);
  });
});

/** Takes every toxic off every proxy, as someone resetting Toxiproxy behind the runner's back. */
async function removeAllToxics(): Promise<string[]> {
  const all = (await (await fetch(`${toxiproxyUrl}/proxies`)).json()) as Record<string, { toxics: { name: string }[] }>;
  const removed: string[] = [];
  for (const [proxy, { toxics }] of Object.entries(all)) {
    for (const toxic of toxics) {
      const response = await fetch(`${toxiproxyUrl}/proxies/${proxy}/toxics/${toxic.name}`, { method: 'DELETE' });
      if (response.ok) removed.push(`${toxic.name}@${proxy}`);
    }
  }
  return removed;
}

// Two trials of one experiment, each spoiled in its own way (one run of the CLI, so CI pays for two
// runs, not three): in trial 1 a process the scenario does not target is killed mid-fault, a valid
// measurement of a failure; in trial 2 the scenario's toxics are taken off behind the runner's back, so
// its fault never lands and the trial is INVALID. The trials report counts the first and leaves the
// second out, saying why.
describe('two trials, each spoiled', () => {
  test('a bystander killed mid-fault fails trial 1 (counted); toxics removed by hand make trial 2 INVALID (left out)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'chaos-spoiled-trials-'));
    const notifications = components().find((component) => component.name === 'notifications') ?? assert.fail();
    let killed: number | undefined;
    let removed: string[] | undefined;
    const { code, output } = await chaos(
      ['scenario', 'db-latency', '--trials', '2', '--duration', '75', '--seed', '9', '--out', out],
      (text) => {
        const second = text.indexOf('▸ trial 2 of 2');
        const faulting = /fault \d+\/\d+ s .*faults: latency@/;
        if (second < 0 && killed === undefined && faulting.test(text)) {
          killed = -1;
          void notifications.pid().then((pid) => {
            killed = pid;
            if (pid) process.kill(pid, 'SIGKILL');
          });
        }
        if (second >= 0 && removed === undefined && faulting.test(text.slice(second))) {
          removed = [];
          void removeAllToxics().then((names) => {
            removed = names;
          });
        }
      },
    );
    assert.ok(killed && killed > 0, `notifications was killed mid-fault in trial 1:\n${output.slice(-1500)}`);
    assert.equal(removed?.length, 3, `the three toxics were removed in trial 2 (${removed}):\n${output.slice(-1500)}`);
    assert.equal(code, 1, `a counted trial failed its hypothesis:\n${output.slice(-1500)}`);

    // Trial 1: a valid measurement of a failure, the bystander named.
    const first = readResult(join(out, 'trial-1'));
    assert.equal(first.invalid, undefined, 'the measurement itself was valid');
    assert.equal(first.verdict.ok, false);
    const reason = first.verdict.reasons.find((r) => /^notifications (exited|restarted) unexpectedly/.test(r));
    assert.ok(reason, `a reason names notifications: ${first.verdict.reasons.join('; ')}`);
    const event = first.processEvents?.find((e) => e.process === 'notifications' && !e.cause);
    assert.equal(event?.from, String(killed), 'the event is about the process that was killed');
    const report = readFileSync(join(out, 'trial-1', 'report.md'), 'utf8');
    assert.match(report, /\| `notifications` \| (exited|restarted) .*nothing the run did \(unexpected\)/);

    // Trial 2: INVALID, because no fault landed: the proof read the toxics' missing delay off the spans.
    const second = readResult(join(out, 'trial-2'));
    assert.match(second.invalid ?? '', /^fault latency@\S+ did not land: the toxic's delay did not show on proxy/);
    for (const fault of second.faults) assert.equal(fault.proof?.ok, false, `${fault.id}: ${fault.proof?.detail}`);
    assert.equal(second.validity?.find((check) => check.check === 'faults')?.ok, false);
    assert.ok(
      second.validity?.filter((check) => check.check !== 'faults').every((check) => check.ok),
      'every other check held',
    );

    // The trials report counts trial 1 only: its statistics are trial 1's figures.
    const trials = JSON.parse(readFileSync(join(out, 'trials.json'), 'utf8')) as {
      summary: {
        valid: number[];
        excluded: { trial: number; reason: string }[];
        metrics: { id: string; values: number[] }[];
      };
    };
    assert.deepEqual(trials.summary.valid, [1]);
    assert.equal(trials.summary.excluded.length, 1);
    assert.equal(trials.summary.excluded[0]?.trial, 2);
    assert.match(trials.summary.excluded[0]?.reason ?? '', /^INVALID: fault latency@\S+ did not land/);
    const orders = trials.summary.metrics.find((metric) => metric.id === 'acceptedOrders');
    assert.deepEqual(orders?.values, [first.k6.acceptedOrders]);
    assert.match(output, /▸ 1 of 2 trials count\n {4}trial 2 left out: INVALID: fault latency@/);
    const md = readFileSync(join(out, 'trials.md'), 'utf8');
    assert.match(md, /did not land/);
    await assertRolledBack();
    console.log(`trial 1: ${reason.slice(0, 200)}\ntrial 2 left out: ${second.invalid?.slice(0, 300)}`);
  });
});
