/**
 * Pre-flight (issue 19): before each scenario, a suite's or a single run's, the runner waits until the
 * shop is settled (settled-checks.ts), within a bound; a shop that does not settle in time is not
 * experimented on: the scenario is reported as not run, with what was still wrong, and a suite goes on
 * to the next one. The decision is a pure function of the readings, unit-tested in
 * chaos/test/preflight.test.ts.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FaultInjector } from './fault-injector';
import type { ProcessDriver } from './process-driver';
import { type CheckReading, readSettledChecks } from './settled-checks';

export interface PreflightReading {
  at: number;
  checks: CheckReading[];
}

export interface PreflightBounds {
  /** Give up after this long. */
  boundMs: number;
  /** Every check must have held this long (over consecutive readings) before the shop counts as settled:
   * queue depths come from the broker's statistics, refreshed about once a second. */
  quietMs: number;
}

export const defaultBounds: PreflightBounds = { boundMs: 120_000, quietMs: 2_000 };

export type PreflightDecision =
  | { kind: 'ready'; afterMs: number }
  | { kind: 'waiting'; failing: string[] }
  | { kind: 'not-ready'; reason: string };

const failing = (reading: PreflightReading) =>
  reading.checks.filter((check) => check.problems.length > 0).map((c) => `${c.name} (${c.problems.join('; ')})`);

/** Decides from the readings so far (oldest first), taken since `startedAt`. */
export function preflightDecision(
  readings: PreflightReading[],
  startedAt: number,
  bounds: PreflightBounds = defaultBounds,
): PreflightDecision {
  const last = readings[readings.length - 1];
  if (!last) return { kind: 'waiting', failing: [] };
  const lastBad = readings.findLastIndex((reading) => failing(reading).length > 0);
  const quietSince = readings[lastBad + 1]?.at;
  if (quietSince !== undefined && last.at - quietSince >= bounds.quietMs) {
    return { kind: 'ready', afterMs: last.at - startedAt };
  }
  const bad = failing(readings[lastBad] ?? last);
  if (last.at - startedAt >= bounds.boundMs) {
    const seconds = Math.round(bounds.boundMs / 1000);
    return { kind: 'not-ready', reason: `pre-flight: the shop did not settle within ${seconds} s: ${bad.join(', ')}` };
  }
  return { kind: 'waiting', failing: lastBad === readings.length - 1 ? bad : [] };
}

export interface PreflightOptions {
  driver: ProcessDriver;
  injector: FaultInjector;
  signal: AbortSignal;
  bounds?: PreflightBounds;
  /** Called on every reading the shop is not settled yet: seconds waited and what is still wrong. */
  onWait?: (seconds: number, failing: string[]) => void;
}

/** Waits until the shop is settled; resolves ready (with how long it took) or not ready (with why). */
export async function preflight(
  options: PreflightOptions,
): Promise<Extract<PreflightDecision, { kind: 'ready' | 'not-ready' }>> {
  const startedAt = Date.now();
  const readings: PreflightReading[] = [];
  for (;;) {
    options.signal.throwIfAborted();
    readings.push({ at: Date.now(), checks: await readSettledChecks(options.driver, options.injector) });
    const decision = preflightDecision(readings, startedAt, options.bounds);
    if (decision.kind !== 'waiting') return decision;
    if (decision.failing.length) options.onWait?.(Math.round((Date.now() - startedAt) / 1000), decision.failing);
    await sleep(1_000, undefined, { signal: options.signal });
  }
}
