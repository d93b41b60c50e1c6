import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { restartDelay, restartPolicy } from '../src/supervisor/restart-policy';

const middle = () => 0.5;

describe('restart back-off', () => {
  it('waits about a second before the first restart and doubles per restart in a row, up to 30 s', () => {
    const schedule = Array.from({ length: 8 }, (_, restarts) => restartDelay(restarts, middle));
    assert.deepEqual(schedule, [1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('jitters by ±20 % and never past the cap', () => {
    const lowest = () => 0;
    const highest = () => 0.999_999;
    assert.equal(restartDelay(0, lowest), 800);
    assert.equal(restartDelay(0, highest), 1_200);
    assert.equal(restartDelay(4, highest), 19_200);
    assert.equal(restartDelay(5, lowest), 25_600);
    assert.equal(restartDelay(5, highest), restartPolicy.maxDelayMs, '32 s + 20 % is capped at 30 s');
    for (let restarts = 0; restarts < 40; restarts++) {
      const delay = restartDelay(restarts);
      assert.ok(delay >= 800 && delay <= restartPolicy.maxDelayMs, `${restarts} restarts: ${delay} ms`);
    }
  });

  it('lets a service fail its liveness probe for about 30 s before it is killed', () => {
    const { periodMs, failureThreshold } = restartPolicy.liveness;
    assert.equal(periodMs * failureThreshold, 30_000);
  });
});
