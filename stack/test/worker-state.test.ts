import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DesiredState } from '../src/supervisor/desired-state';
import { restartPolicy } from '../src/supervisor/restart-policy';
import { type Effect, initialState, observe, startFinished, type WorkerState } from '../src/supervisor/worker-state';

const middle = () => 0.5;

/** Feeds observations in order; returns the final state and every effect with the time it came. */
function run(
  steps: [now: number, desired: DesiredState | undefined, pid: number | undefined][],
  from = initialState(),
) {
  let state: WorkerState = from;
  const effects: (Effect & { at: number })[] = [];
  for (const [now, desired, pid] of steps) {
    const result = observe(state, { now, desired, pid }, middle);
    state = result.state;
    effects.push(...result.effects.map((effect) => ({ ...effect, at: now })));
  }
  return { state, effects };
}

describe('supervisor decisions for one component', () => {
  it('records an exit once, waits the back-off, then starts it', () => {
    const { state, effects } = run([
      [0, 'running', 100],
      [300, 'running', undefined],
      [600, 'running', undefined],
      [1_300, 'running', undefined],
    ]);
    assert.deepEqual(effects, [
      { type: 'exited', pid: 100, reason: 'exit', held: false, at: 300 },
      { type: 'start', reason: 'exit', attempt: 1, delayMs: 1_000, noticedAt: 300, at: 1_300 },
    ]);
    assert.equal(state.pending?.dueAt, 1_300);
  });

  it('doubles the wait for a crash soon after a restart, and resets it after 60 s up', () => {
    let { state } = run([
      [0, 'running', 100],
      [300, 'running', undefined],
      [1_300, 'running', undefined],
    ]);
    state = startFinished(state, 'started', 1_400, middle);
    assert.equal(state.restarts, 1);
    const crashAgain = run(
      [
        [1_500, 'running', 101],
        [5_000, 'running', undefined],
      ],
      state,
    );
    assert.equal(crashAgain.state.pending?.delayMs, 2_000);

    const stayedUp = run(
      [
        [1_500, 'running', 101],
        [1_500 + restartPolicy.resetAfterMs, 'running', 101],
        [1_600 + restartPolicy.resetAfterMs, 'running', undefined],
      ],
      state,
    );
    assert.equal(stayedUp.state.pending?.delayMs, 1_000);
  });

  it('backs off further after a failed start and keeps the reason', () => {
    let { state } = run([
      [0, 'running', 100],
      [300, 'running', undefined],
    ]);
    state = startFinished(state, 'failed', 1_300, middle);
    assert.deepEqual(state.pending, { noticedAt: 300, dueAt: 3_300, delayMs: 2_000, reason: 'exit' });
    state = startFinished(state, 'failed', 3_300, middle);
    assert.equal(state.pending?.delayMs, 4_000);
    const next = run([[7_300, 'running', undefined]], state);
    assert.deepEqual(next.effects, [
      { type: 'start', reason: 'exit', attempt: 3, delayMs: 4_000, noticedAt: 300, at: 7_300 },
    ]);
  });

  it('leaves a held component down, records its exit once, and starts it at once when released', () => {
    const held = run([
      [0, 'held', 100],
      [300, 'held', undefined],
      [600, 'held', undefined],
      [9_000, 'held', undefined],
    ]);
    assert.deepEqual(held.effects, [{ type: 'exited', pid: 100, reason: 'exit', held: true, at: 300 }]);
    const released = run([[9_300, 'running', undefined]], held.state);
    assert.deepEqual(released.effects, [
      { type: 'start', reason: 'released', attempt: 1, delayMs: 0, noticedAt: 9_300, at: 9_300 },
    ]);
    const after = startFinished(released.state, 'started', 9_400, middle);
    assert.equal(after.restarts, 0, 'a start after a release is not a restart');
  });

  it('backs off when a start after a release fails, as after any crash', () => {
    const released = run([
      [0, 'held', undefined],
      [300, 'running', undefined],
    ]);
    const failed = startFinished(released.state, 'failed', 400, middle);
    assert.equal(failed.pending?.reason, 'exit');
    assert.equal(failed.pending?.dueAt, 2_400);
  });

  it('gives up a pending restart when someone else starts it, or holds or stops it', () => {
    const pending = run([
      [0, 'running', 100],
      [300, 'running', undefined],
    ]).state;
    for (const [desired, pid] of [
      ['running', 200],
      ['held', undefined],
      [undefined, undefined],
    ] as const) {
      const { state, effects } = run(
        [
          [900, desired, pid],
          [5_000, desired, pid],
        ],
        pending,
      );
      assert.deepEqual(effects, [], `${desired} ${pid}`);
      assert.equal(state.pending, undefined);
    }
  });

  it('forgets a component started by hand that died before it was healthy, and ignores what is not supervised', () => {
    assert.deepEqual(run([[0, 'starting', undefined]]).effects, [{ type: 'drop', at: 0 }]);
    assert.deepEqual(
      run([
        [0, undefined, 100],
        [300, undefined, undefined],
        [5_000, undefined, undefined],
      ]).effects,
      [],
    );
  });

  it('records a process killed for failing its liveness probe with reason liveness, however long it takes to die', () => {
    const alive = run([[0, 'running', 100]]).state;
    const { effects } = run(
      [
        [5_000, 'running', 100],
        [9_000, 'running', undefined],
      ],
      { ...alive, livenessKilled: 100 },
    );
    assert.deepEqual(effects[0], { type: 'exited', pid: 100, reason: 'liveness', held: false, at: 9_000 });
    const next = run(
      [
        [20_000, 'running', 101],
        [30_000, 'running', undefined],
      ],
      startFinished(run([[9_000, 'running', undefined]], { ...alive, livenessKilled: 100 }).state, 'started', 10_000),
    );
    assert.equal(next.effects[0]?.type === 'exited' && next.effects[0].reason, 'exit', 'the next process starts clean');
  });

  it('restarts what died while no supervisor was watching, with no pid to name', () => {
    const { effects } = run([[0, 'running', undefined]]);
    assert.deepEqual(effects[0], { type: 'exited', pid: undefined, reason: 'exit', held: false, at: 0 });
  });
});
