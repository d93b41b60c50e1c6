import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { livenessProblem } from '../src/messaging/liveness-check';

const bound = 60_000;

describe('messaging liveness', () => {
  test('a consumer without a channel for longer than the bound while connected fails liveness, naming it', () => {
    const problem = livenessProblem(
      300_000,
      [
        { role: 'publisher', idleForMs: 0 },
        { role: 'orders.payment-succeeded', idleForMs: 61_000 },
      ],
      bound,
    );
    assert.match(problem ?? '', /orders\.payment-succeeded.*61 s/);
  });

  test('within the bound, or with every channel in use, the process is live', () => {
    assert.equal(livenessProblem(300_000, [{ role: 'q', idleForMs: 59_000 }], bound), undefined);
    assert.equal(livenessProblem(300_000, [{ role: 'q', idleForMs: 0 }], bound), undefined);
    assert.equal(livenessProblem(300_000, [], bound), undefined);
  });

  test('a broker outage never fails liveness, however long the channels have been down', () => {
    assert.equal(livenessProblem(0, [{ role: 'q', idleForMs: 3_600_000 }], bound), undefined);
  });

  test('after an outage the bound counts from the reconnection, not from when the channel was lost', () => {
    const channels = [{ role: 'q', idleForMs: 600_000 }];
    assert.equal(livenessProblem(5_000, channels, bound), undefined);
    assert.match(livenessProblem(61_000, channels, bound) ?? '', /q unusable for 61 s while connected/);
  });
});
