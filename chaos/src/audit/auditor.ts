import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { InvariantResult } from './invariant';
import { checkAll, parkedCounts } from './invariants';
import { type Snapshot, takeSnapshot } from './snapshot';

export type { InvariantResult } from './invariant';

export interface AuditOptions {
  /** Order ids the client saw accepted (202); judges those orders only. Undefined: judges everything. */
  ledger?: string[];
  /** How long to wait for the saga to settle (no PENDING order, no message in flight) before judging. */
  settleMs?: number;
  /** How long the settled state must hold before it is judged. */
  quietMs?: number;
  onWait?: (pending: number, inFlight: number, secondsLeft: number) => void;
  /** Parking queue depths before the run (parkedBefore()): only what the run parked is a violation. */
  parkedBefore?: Record<string, number>;
}

/** Parking queue depths now, taken before a run so its audit judges only what the run parked. */
export async function parkedBefore(): Promise<Record<string, number>> {
  return parkedCounts(await takeSnapshot());
}

export interface AuditReport {
  ok: boolean;
  results: InvariantResult[];
  settledAfterMs: number;
  snapshotAt: string;
}

const inFlight = (snapshot: Snapshot) =>
  snapshot.queues.filter((q) => !q.queue.endsWith('.parked')).reduce((sum, q) => sum + q.messages, 0) +
  Object.values(snapshot.unpublishedOutbox).reduce((sum, n) => sum + n, 0);

/**
 * Checks invariants 1–5 against the databases and the broker. Waits first (up to `settleMs`) for the
 * saga to settle: faults healed, queues drained, no order PENDING. What is still wrong then is a
 * violation, named by order or product.
 */
export async function audit(options: AuditOptions = {}): Promise<AuditReport> {
  const started = Date.now();
  const deadline = started + (options.settleMs ?? 60_000);
  let snapshot = await takeSnapshot();
  // Quiet means: no PENDING order and nothing in flight, seen continuously for `quietMs` (queue depths
  // come from the broker's statistics, refreshed every second, so one empty reading is not enough).
  let quietSince: number | undefined;
  for (;;) {
    const pending = snapshot.orders.filter((order) => order.status === 'PENDING').length;
    const moving = inFlight(snapshot);
    if (pending === 0 && moving === 0) quietSince ??= Date.now();
    else quietSince = undefined;
    if ((quietSince !== undefined && Date.now() - quietSince >= (options.quietMs ?? 3_000)) || Date.now() >= deadline) {
      break;
    }
    if (quietSince === undefined) options.onWait?.(pending, moving, Math.ceil((deadline - Date.now()) / 1000));
    await sleep(500);
    snapshot = await takeSnapshot();
  }
  const results = checkAll(snapshot, options.ledger, options.parkedBefore);
  return {
    ok: results.every((result) => result.ok),
    results,
    settledAfterMs: Date.now() - started,
    snapshotAt: new Date().toISOString(),
  };
}

/** Reads a client ledger: one order id per line, or a JSON array of ids. */
export async function readLedger(file: string): Promise<string[]> {
  const text = (await readFile(file, 'utf8')).trim();
  if (text.startsWith('[')) return (JSON.parse(text) as unknown[]).map(String);
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}
