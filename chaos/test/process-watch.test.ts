/** Matching the process changes a run saw with the faults it applied (runner/process-watch.ts). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { explainChanges } from '../src/runner/process-watch';

const faults = [{ id: 'kill@payments', target: 'payments', start: 10_000, end: 25_000 }];

test('an exit and a start of the process a fault acted on, within its window, are explained by that fault', () => {
  const events = explainChanges(
    [
      { at: 10_050, process: 'payments', from: '101' },
      { at: 24_000, process: 'payments', to: '202' },
    ],
    faults,
    60_000,
  );
  assert.deepEqual(
    events.map((event) => [event.change, event.cause]),
    [
      ['exited', 'kill@payments'],
      ['started', 'kill@payments'],
    ],
  );
  assert.equal(events[0]?.lastLog, undefined, 'an expected change keeps no log');
});

test('a process nobody touched that died (even one whose restart was missed between polls) is unexpected, with its log', () => {
  const events = explainChanges(
    [
      { at: 12_000, process: 'catalog-1', from: '301', lastLog: ['Unhandled error event'] },
      { at: 40_000, process: 'payments', from: '202', to: '203' },
    ],
    faults,
    60_000,
  );
  assert.deepEqual(
    events.map((event) => [event.process, event.change, event.cause, event.lastLog]),
    [
      ['catalog-1', 'exited', undefined, ['Unhandled error event']],
      ['payments', 'restarted', undefined, []],
    ],
    'the payments restart long after its fault ended is not explained by it',
  );
});

test('a fault still in force explains changes up to the end of the run', () => {
  const open = [{ id: 'crash@orders', target: 'orders', start: 5_000 }];
  const [event] = explainChanges([{ at: 50_000, process: 'orders', to: '9' }], open, 55_000);
  assert.equal(event?.cause, 'crash@orders');
});
