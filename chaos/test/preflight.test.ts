import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type PreflightReading, preflightDecision } from '../src/runner/preflight';

const bounds = { boundMs: 120_000, quietMs: 2_000 };
const ok = (at: number): PreflightReading => ({
  at,
  checks: [
    { name: 'components', problems: [] },
    { name: 'queues', problems: [] },
  ],
});
const bad = (at: number, problem = 'orders.order-created: 3 messages'): PreflightReading => ({
  at,
  checks: [
    { name: 'components', problems: [] },
    { name: 'queues', problems: [problem] },
  ],
});

test('a shop that is settled on consecutive readings for the quiet time is ready', () => {
  assert.deepEqual(preflightDecision([ok(0), ok(1_000), ok(2_000)], 0, bounds), { kind: 'ready', afterMs: 2_000 });
});

test('one good reading is not enough: the checks must hold for the quiet time', () => {
  assert.deepEqual(preflightDecision([ok(0)], 0, bounds), { kind: 'waiting', failing: [] });
  assert.deepEqual(preflightDecision([bad(0), ok(1_000), ok(2_500)], 0, bounds), { kind: 'waiting', failing: [] });
});

test('a failing check keeps it waiting and names what is still wrong', () => {
  assert.deepEqual(preflightDecision([ok(0), ok(1_000), bad(2_000)], 0, bounds), {
    kind: 'waiting',
    failing: ['queues (orders.order-created: 3 messages)'],
  });
});

test('quiet is counted from the first good reading after the last bad one', () => {
  const readings = [bad(0), bad(1_000), ok(2_000), ok(3_000), ok(4_000)];
  assert.deepEqual(preflightDecision(readings, 0, bounds), { kind: 'ready', afterMs: 4_000 });
});

test('a shop that does not settle within the bound is not ready, with what was wrong', () => {
  const readings = Array.from({ length: 121 }, (_, i) => bad(i * 1_000, 'catalog-1: not answering'));
  const decision = preflightDecision(readings, 0, bounds);
  assert.equal(decision.kind, 'not-ready');
  assert.equal(
    decision.kind === 'not-ready' && decision.reason,
    'pre-flight: the shop did not settle within 120 s: queues (catalog-1: not answering)',
  );
});

test('at the bound, a shop that just came good names the last thing that was wrong', () => {
  const readings = [...Array.from({ length: 120 }, (_, i) => bad(i * 1_000)), ok(120_000)];
  const decision = preflightDecision(readings, 0, bounds);
  assert.equal(decision.kind, 'not-ready');
  assert.match(decision.kind === 'not-ready' ? decision.reason : '', /queues \(orders\.order-created: 3 messages\)/);
});
