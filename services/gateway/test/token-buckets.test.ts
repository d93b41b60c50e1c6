import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TokenBuckets } from '../src/domain/token-buckets';

function clock() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

test('a bucket allows its burst at once, then refills at the sustained rate', () => {
  const time = clock();
  const buckets = new TokenBuckets(10, 5, time.now);
  for (let i = 0; i < 5; i++) assert.deepEqual(buckets.take('a'), { allowed: true });
  assert.deepEqual(buckets.take('a'), { allowed: false, retryAfterSeconds: 1 });
  time.advance(100);
  assert.deepEqual(buckets.take('a'), { allowed: true }, 'one token back after 1/rate seconds');
  assert.equal(buckets.take('a').allowed, false);
  assert.equal(buckets.take('b').allowed, true, 'another client has its own bucket');
});

test('Retry-After is the whole seconds until the next token, never 0', () => {
  const time = clock();
  const buckets = new TokenBuckets(0.25, 1, time.now);
  buckets.take('a');
  assert.deepEqual(buckets.take('a'), { allowed: false, retryAfterSeconds: 4 });
  time.advance(3_500);
  assert.deepEqual(buckets.take('a'), { allowed: false, retryAfterSeconds: 1 });
});

test('buckets of clients gone quiet are forgotten, so memory follows the active clients', () => {
  const time = clock();
  const buckets = new TokenBuckets(10, 5, time.now, 1_000);
  for (let i = 0; i < 100; i++) buckets.take(`client-${i}`);
  assert.equal(buckets.size(), 100);
  time.advance(1_000);
  buckets.take('busy');
  assert.equal(buckets.size(), 1);
});
