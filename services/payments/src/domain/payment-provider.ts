import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { providerDuration } from '../metrics/payment-metrics';

export interface ProviderSettings {
  seed: string;
  declineRate: number;
  latencyMs: number;
  jitterMs: number;
}

export type ChargeDecision = { status: 'SUCCEEDED'; reason: null } | { status: 'DECLINED'; reason: string };

/** The card token that every provider declines, so a test or a demo can ask for a decline. */
export const decliningToken = 'tok_decline';

/** A number in [0, 1) derived from the seed and a key: the same inputs give the same number, always. */
export function seededUnit(seed: string, key: string): number {
  const digest = createHash('sha256').update(`${seed}:${key}`).digest();
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

/**
 * The provider's verdict, a pure function of (seed, order id, token), so a run can be reproduced and an
 * auditor can recompute what should have happened.
 */
export function decideCharge(
  settings: Pick<ProviderSettings, 'seed' | 'declineRate'>,
  orderId: string,
  token: string,
): ChargeDecision {
  if (token === decliningToken) return { status: 'DECLINED', reason: 'card_declined' };
  if (seededUnit(settings.seed, orderId) < settings.declineRate) return { status: 'DECLINED', reason: 'card_declined' };
  return { status: 'SUCCEEDED', reason: null };
}

/** How long the provider takes for this order: the base latency ± jitter, also seeded. */
export function providerLatencyMs(
  settings: Pick<ProviderSettings, 'seed' | 'latencyMs' | 'jitterMs'>,
  orderId: string,
): number {
  const spread = (2 * seededUnit(settings.seed, `latency:${orderId}`) - 1) * settings.jitterMs;
  return Math.max(0, Math.round(settings.latencyMs + spread));
}

/**
 * The simulated payment provider: answers after its latency with its verdict. Like a real provider
 * called with the order id as idempotency key, asking twice for one order gives the same answer.
 */
export class SimulatedProvider {
  constructor(private readonly settings: ProviderSettings) {}

  async charge(orderId: string, token: string): Promise<ChargeDecision> {
    const stopTimer = providerDuration.startTimer();
    try {
      await sleep(providerLatencyMs(this.settings, orderId));
      return decideCharge(this.settings, orderId, token);
    } finally {
      stopTimer();
    }
  }
}
