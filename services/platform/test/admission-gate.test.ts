import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { AdmissionGate, AppError } from '../src/index';

const gate = (concurrency: number, queueLimit: number, maxWaitMs = 10_000) =>
  new AdmissionGate({ name: `test-${Math.random()}`, concurrency, queueLimit, maxWaitMs, reason: 'hashing_busy' });

async function outcome(promise: Promise<unknown>): Promise<'done' | number> {
  try {
    await promise;
    return 'done';
  } catch (error) {
    assert.ok(error instanceof AppError, String(error));
    return error.status;
  }
}

test('no more than `concurrency` items run at once, also while the queue hands slots over', async () => {
  const g = gate(2, 100);
  let running = 0;
  let most = 0;
  const work = async () => {
    running += 1;
    most = Math.max(most, running);
    await sleep(2);
    running -= 1;
  };
  // Arrivals interleaved with completions: a slot passing to a waiter must not be taken by a newcomer.
  const all: Promise<unknown>[] = [];
  for (let i = 0; i < 40; i++) {
    all.push(g.run(work));
    if (i % 3 === 0) await sleep(1);
  }
  assert.deepEqual(new Set(await Promise.all(all.map(outcome))), new Set(['done']));
  assert.equal(most, 2);
});

test('beyond the queue limit a caller is refused at once with 503 and a Retry-After of at least 1 s', async () => {
  const g = gate(1, 2);
  let release = () => {};
  const blocker = new Promise<void>((resolve) => {
    release = resolve;
  });
  const results = [g.run(() => blocker), g.run(async () => {}), g.run(async () => {})].map(outcome);
  const refused = g.run(async () => {});
  await assert.rejects(refused, (error: AppError) => {
    assert.equal(error.status, 503);
    assert.ok(Number(error.headers['Retry-After']) >= 1);
    return true;
  });
  release();
  assert.deepEqual(await Promise.all(results), ['done', 'done', 'done']);
});

test('a caller still waiting after maxWaitMs is refused then, and the queue moves on without it', async () => {
  const g = gate(1, 10, 50);
  let release = () => {};
  const blocker = new Promise<void>((resolve) => {
    release = resolve;
  });
  const first = outcome(g.run(() => blocker));
  const started = performance.now();
  assert.equal(await outcome(g.run(async () => {})), 503);
  assert.ok(performance.now() - started < 500);
  release();
  assert.equal(await first, 'done');
  assert.equal(await outcome(g.run(async () => {})), 'done', 'the slot is free again');
});

test('the expected wait follows the measured time per item: slow work is refused sooner', async () => {
  const g = gate(1, 100, 200);
  for (let i = 0; i < 5; i++) await g.run(() => sleep(60));
  assert.ok(g.expectedWaitMs() > 40, `expected wait ${g.expectedWaitMs()} ms after 60 ms items`);
  let release = () => {};
  const blocker = new Promise<void>((resolve) => {
    release = resolve;
  });
  const results = [outcome(g.run(() => blocker))];
  // Each queued item adds ~60 ms of expected wait: the 4th or so would wait past 200 ms and is refused.
  for (let i = 0; i < 8; i++) results.push(outcome(g.run(async () => {})));
  const early = await Promise.race([Promise.all(results.slice(1)), sleep(20).then(() => 'pending')]);
  assert.equal(early, 'pending', 'some callers are queued, not refused');
  release();
  const settled = await Promise.all(results);
  assert.ok(settled.includes(503) && settled.filter((s) => s === 'done').length >= 3, settled.join(','));
});

test('an item that runs past maxRunMs refuses its caller with 503 at once, keeps its slot until it ends, and its late failure is handled', async () => {
  const g = new AdmissionGate({
    name: `test-${Math.random()}`,
    concurrency: 1,
    queueLimit: 10,
    maxWaitMs: 10_000,
    maxRunMs: 30,
    reason: 'hashing_busy',
  });
  let finished = false;
  const started = performance.now();
  const slow = g.run(async () => {
    await sleep(150);
    finished = true;
    throw new Error('late failure of work whose caller was already answered');
  });
  assert.equal(await outcome(slow), 503);
  const answeredAfter = performance.now() - started;
  assert.ok(answeredAfter < 150, `answered after ${answeredAfter.toFixed(0)} ms, before the work ended`);
  assert.equal(finished, false, 'the work was not abandoned mid-way, only its caller');
  // The slot is still taken: the next caller starts only once the slow item has really ended.
  let nextStartedAt = 0;
  const next = g.run(async () => {
    nextStartedAt = performance.now();
  });
  assert.equal(await outcome(next), 'done');
  assert.ok(finished && nextStartedAt - started >= 140, `next started ${(nextStartedAt - started).toFixed(0)} ms in`);
  // Quick work is unaffected.
  assert.equal(await outcome(g.run(async () => sleep(1))), 'done');
});
