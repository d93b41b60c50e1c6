import assert from 'node:assert/strict';
import { test } from 'node:test';
import { retryDelaysMs } from '../src/messaging/retry-policy';
import { consumerQueues } from '../src/messaging/topology';

test('a consumer owns a quorum queue, one delay queue per retry that dead-letters back to it, and a parking queue', () => {
  const declarations = consumerQueues('notifications.order-confirmed');
  assert.deepEqual(
    declarations.map((declaration) => declaration.queue),
    [
      'notifications.order-confirmed',
      ...retryDelaysMs.map((_, index) => `notifications.order-confirmed.retry.${index + 1}`),
      'notifications.order-confirmed.parked',
    ],
  );
  const [main, ...rest] = declarations;
  const parked = rest.pop();
  assert.equal(main?.options.arguments?.['x-queue-type'], 'quorum');
  assert.equal(parked?.options.arguments?.['x-queue-type'], 'quorum');
  assert.deepEqual(
    rest.map((delay) => delay.options.arguments),
    retryDelaysMs.map((delayMs) => ({
      'x-message-ttl': delayMs,
      'x-dead-letter-exchange': '',
      'x-dead-letter-routing-key': 'notifications.order-confirmed',
    })),
  );
  assert.ok(declarations.every((declaration) => declaration.options.durable));
});
