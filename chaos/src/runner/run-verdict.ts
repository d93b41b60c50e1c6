/**
 * A run's verdict from what it measured: it held only when nothing below went wrong. An INVALID run
 * (RunResult.invalid) is never judged: its first reason says so and why, and what else went wrong
 * (a rollback, an unexpected exit) follows for the record.
 */
import type { RunResult } from '../run-result';

export function verdictOf(
  result: RunResult,
  rollbackErrors: string[],
  measurementErrors: string[],
): RunResult['verdict'] {
  const reasons: string[] = [];
  if (result.invalid) reasons.push(`INVALID, not judged: ${result.invalid}`);
  if (result.aborted) reasons.push(`run interrupted: ${result.aborted}`);
  for (const error of rollbackErrors) reasons.push(`rollback failed: ${error}`);
  for (const error of measurementErrors) reasons.push(`measurement failed: ${error}`);
  for (const probe of result.probes) {
    for (const phase of probe.phases.filter((p) => !p.ok)) {
      const bound = [
        phase.tolerance.min !== undefined ? `≥ ${phase.tolerance.min}` : '',
        phase.tolerance.max !== undefined ? `≤ ${phase.tolerance.max}` : '',
      ]
        .filter(Boolean)
        .join(' and ');
      reasons.push(
        `${probe.name} in ${phase.phase}: observed ${phase.observed ?? 'no data'}, expected ${bound} (${phase.tolerance.mode})`,
      );
    }
  }
  for (const event of result.processEvents ?? []) {
    if (event.cause) continue;
    const log = event.lastLog?.filter(Boolean).slice(-3).join(' | ');
    reasons.push(
      `${event.process} ${event.change} unexpectedly at ${new Date(event.at).toISOString()} (${event.from ?? '-'} → ${event.to ?? '-'})${log ? `; last log: ${log}` : ''}`,
    );
  }
  for (const invariant of result.audit.results.filter((r) => !r.ok)) {
    reasons.push(`invariant ${invariant.id} (${invariant.name}) violated: ${invariant.violations.join('; ')}`);
  }
  return { ok: reasons.length === 0, reasons };
}
