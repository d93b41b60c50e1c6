import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { StallWatch } from '../src/runner/stall-watch';

test('a timer that fires seconds late is a stall, found by the window it overlaps', () => {
  let now = 0;
  const watch = new StallWatch(
    250,
    () => now,
    () => now,
  );
  watch.start();
  watch.stop();
  for (const step of [250, 250, 260, 26_250, 250, 250, 3_250, 250]) {
    now += step;
    watch.tick();
  }
  assert.deepEqual(
    watch.stalls.map((stall) => stall.ms),
    [26_000, 3_000],
  );
  // The 26 s stall ended at t = 27 010 ms: it overlaps a window from 10 s to 20 s, not one from 28 s on.
  assert.equal(watch.longestWithin(10_000, 20_000, 5_000)?.ms, 26_000);
  assert.equal(watch.longestWithin(28_000, 40_000, 5_000), undefined);
  assert.equal(watch.longestWithin(28_000, 40_000, 1_000)?.ms, 3_000);
  assert.deepEqual(watch.jumps, [], 'a stall moves both clocks: it is not a clock jump');
});

test('a wall clock that moves apart from the monotonic clock is a jump, not a stall', () => {
  let monotonic = 0;
  let wall = 1_000_000;
  const watch = new StallWatch(
    250,
    () => monotonic,
    () => wall,
  );
  watch.start();
  watch.stop();
  for (const [step, wallStep] of [
    [250, 250],
    [250, 10_250], // set forward by 10 s
    [250, 250],
    [250, 300], // slewing: 50 ms, not a jump
    [250, -3_750], // set back by 4 s
  ] as const) {
    monotonic += step;
    wall += wallStep;
    watch.tick();
  }
  assert.deepEqual(watch.stalls, []);
  assert.deepEqual(
    watch.jumps.map((jump) => jump.ms),
    [10_000, -4_000],
  );
});

test('a blocked event loop is seen by the real timer', async () => {
  const watch = new StallWatch(50);
  watch.start();
  await sleep(120);
  const until = Date.now() + 1_300;
  while (Date.now() < until); // the process stands still
  await sleep(120);
  watch.stop();
  assert.equal(watch.stalls.length, 1);
  assert.ok((watch.stalls[0]?.ms ?? 0) >= 1_100, `${watch.stalls[0]?.ms} ms`);
});
