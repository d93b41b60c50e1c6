import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BackoffSchedule } from '../src/messaging/backoff-schedule';

test('pauses double from the base up to the cap, and start over after a success', () => {
  const highest = new BackoffSchedule({ baseMs: 500, capMs: 10_000, random: () => 0.999_999 });
  const run = () => Array.from({ length: 7 }, () => highest.next());
  assert.deepEqual(run(), [500, 1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
  assert.equal(highest.failuresInRow, 7);
  highest.reset();
  assert.equal(highest.failuresInRow, 0);
  assert.equal(highest.next(), 500);
});

test('jitter spreads each pause over [10 %, 100 %] of its bound, never zero', () => {
  const lowest = new BackoffSchedule({ baseMs: 500, capMs: 10_000, random: () => 0 });
  assert.deepEqual([lowest.next(), lowest.next(), lowest.next()], [50, 100, 200]);
  const random = new BackoffSchedule({ baseMs: 500, capMs: 10_000 });
  for (let failure = 0; failure < 50; failure++) {
    const pause = random.next();
    const bound = Math.min(10_000, 500 * 2 ** failure);
    assert.ok(pause >= bound * 0.1 && pause <= bound, `pause ${pause} outside [${bound * 0.1}, ${bound}]`);
  }
});
