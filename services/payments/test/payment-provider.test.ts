import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { decideCharge, type ProviderSettings, providerLatencyMs, seededUnit } from '../src/domain/payment-provider';

const settings: ProviderSettings = { seed: 'confeitaria', declineRate: 0.05, latencyMs: 50, jitterMs: 20 };
const orders = Array.from({ length: 20_000 }, () => randomUUID());

test('the decision is a pure function of seed, order id and token', () => {
  for (const orderId of orders.slice(0, 500)) {
    const first = decideCharge(settings, orderId, 'tok_visa');
    assert.deepEqual(decideCharge({ ...settings }, orderId, 'tok_visa'), first);
  }
  // Pinned values: a change to the hash would silently change every recorded run.
  assert.equal(seededUnit('confeitaria', '00000000-0000-4000-8000-000000000000').toFixed(6), '0.618987');
});

test('tok_decline always declines, with reason card_declined', () => {
  for (const orderId of orders.slice(0, 200)) {
    assert.deepEqual(decideCharge({ ...settings, declineRate: 0 }, orderId, 'tok_decline'), {
      status: 'DECLINED',
      reason: 'card_declined',
    });
  }
});

test('the share of declined orders follows PAYMENT_DECLINE_RATE', () => {
  for (const declineRate of [0.05, 0.3]) {
    const declined = orders.filter(
      (orderId) => decideCharge({ ...settings, declineRate }, orderId, 'tok_visa').status === 'DECLINED',
    ).length;
    const share = declined / orders.length;
    assert.ok(Math.abs(share - declineRate) < 0.01, `rate ${declineRate}: share ${share}`);
  }
  assert.ok(
    orders.every((orderId) => decideCharge({ ...settings, declineRate: 0 }, orderId, 'tok_visa').reason === null),
  );
  assert.ok(orders.every((orderId) => decideCharge({ ...settings, declineRate: 1 }, orderId, 'tok_visa').reason));
});

test('another seed declines other orders', () => {
  const declinedWith = (seed: string) =>
    orders.filter((orderId) => decideCharge({ ...settings, seed }, orderId, 'tok_visa').status === 'DECLINED');
  assert.notDeepEqual(declinedWith('confeitaria'), declinedWith('another-seed'));
});

test('provider latency stays within base ± jitter and repeats for the same order', () => {
  const latencies = orders.slice(0, 2_000).map((orderId) => providerLatencyMs(settings, orderId));
  assert.ok(latencies.every((ms) => ms >= 30 && ms <= 70));
  assert.ok(new Set(latencies).size > 20, 'the jitter varies between orders');
  assert.deepEqual(
    orders.slice(0, 2_000).map((orderId) => providerLatencyMs(settings, orderId)),
    latencies,
  );
  const small = { ...settings, latencyMs: 5, jitterMs: 20 };
  assert.ok(
    orders.slice(0, 2_000).every((orderId) => providerLatencyMs(small, orderId) >= 0),
    'never negative',
  );
});
