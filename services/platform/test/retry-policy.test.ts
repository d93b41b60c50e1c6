import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ZodError } from 'zod';
import { AppError, ErrorCode } from '../src/errors/app-error';
import { isTransient, maxAttempts, retryDecision } from '../src/messaging/retry-policy';

const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:21201'), { code: 'ECONNREFUSED' });

describe('retry policy of a failed message', () => {
  test('a dependency that is down is retried for as long as it takes, at the longest delay, never parked', () => {
    let attempt = 1;
    const queues: number[] = [];
    for (let i = 0; i < 10; i++) {
      const decision = retryDecision(refused, attempt);
      assert.equal(decision.outcome, 'retried', `attempt ${attempt}`);
      queues.push(decision.delayQueue);
      attempt = decision.nextAttempt;
    }
    assert.deepEqual(queues, [1, 2, 3, 3, 3, 3, 3, 3, 3, 3]);
  });

  test('any other error is parked once the attempts run out', () => {
    const bug = new TypeError('cannot read properties of undefined');
    assert.equal(retryDecision(bug, maxAttempts - 1).outcome, 'retried');
    assert.equal(retryDecision(bug, maxAttempts).outcome, 'parked');
  });

  test('a message that can never be handled (broken JSON, wrong shape) is parked at once', () => {
    assert.equal(retryDecision(new SyntaxError('Unexpected token'), 1).outcome, 'parked');
    assert.equal(retryDecision(new ZodError([]), 1).outcome, 'parked');
  });

  test('transient: unreachable sockets, Postgres connection classes, pool timeouts, open breakers; not bugs or 4xx', () => {
    assert.ok(isTransient(refused));
    assert.ok(isTransient(Object.assign(new Error('terminating connection'), { code: '57P01' })));
    assert.ok(isTransient(Object.assign(new Error('connection failure'), { code: '08006' })));
    assert.ok(isTransient(new Error('timeout exceeded when trying to connect')));
    assert.ok(isTransient(new Error('Connection terminated unexpectedly')));
    assert.ok(isTransient(new AggregateError([refused], 'all attempts failed')));
    assert.ok(isTransient(new AppError(503, ErrorCode.UpstreamUnavailable, 'breaker open')));
    assert.ok(!isTransient(new AppError(404, ErrorCode.NotFound, 'no such product')));
    assert.ok(!isTransient(Object.assign(new Error('duplicate key'), { code: '23505' })));
    assert.ok(!isTransient(new TypeError('x is undefined')));
  });
});
