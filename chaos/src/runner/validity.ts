/**
 * Is this run a measurement? (issue 17.2) Before a verdict is trusted, the runner checks what the
 * verdict rests on; a run that fails any check is INVALID with the check's sentence as its reason:
 * shown in its report and in a trials report, never averaged.
 *
 *   load        k6 offered the load it was asked to: dropped iterations (no VU free when one was due)
 *               stay within MAX_DROPPED_SHARE of the iterations due (default 1 %)
 *   generator   k6 got the CPU it asked for: in no phase did its threads, once woken, wait for a core
 *               longer than GENERATOR_DELAY_LIMIT_MS on average (default 10 ms): past that, every
 *               latency it measured carries its own queueing
 *   scrapes     Prometheus scraped every target in the phases at its interval, missing at most 10 %
 *   collector   the collector refused and failed to export nothing (spans, metric points) in the phases
 *   clock       the wall clock moved with the monotonic one (a jump moves every timestamp at once)
 *   faults      every fault's effect is confirmed (fault-proof.ts)
 */
import type { FaultWindow, GeneratorCpu, K6Outcome, PhaseWindow, ValidityCheck } from '../run-result';
import { spansBetween, type TimedSpan, tracesInFile } from '../traces/trace-file';
import type { AppliedFault } from './fault-injector';
import { edgeSpans, proveToxic } from './fault-proof';
import { instantAt, prometheusUrl } from './prometheus-client';
import type { ClockJump } from './stall-watch';
import { tempoSpansThroughPort } from './tempo-spans';

export const maxDroppedShare = Number(process.env.MAX_DROPPED_SHARE ?? 0.01);
export const generatorDelayLimitMs = Number(process.env.GENERATOR_DELAY_LIMIT_MS ?? 10);
/** The share of a target's scrapes Prometheus may miss in a run (one or two at the window's edges). */
export const maxMissedScrapeShare = 0.1;

const percent = (share: number) => `${(share * 100).toFixed(1)} %`;

export function loadCheck(k6: K6Outcome): ValidityCheck {
  const dropped = k6.droppedIterations ?? 0;
  const due = (k6.iterations ?? 0) + dropped;
  const share = due > 0 ? dropped / due : 0;
  const figures = `${dropped} of ${due} iterations dropped (${percent(share)}), at most ${k6.vusMax ?? 0} VUs`;
  return share > maxDroppedShare
    ? {
        check: 'load',
        ok: false,
        detail: `k6 did not offer the load it was asked to: ${figures}, above the ${percent(maxDroppedShare)} allowed (MAX_DROPPED_SHARE)`,
      }
    : { check: 'load', ok: true, detail: figures };
}

export function generatorCheck(cpu: GeneratorCpu[], unavailable?: string): ValidityCheck {
  if (cpu.length === 0)
    return { check: 'generator', ok: true, detail: unavailable ?? 'k6 was not sampled (it ended first)' };
  const worst = cpu.reduce((a, b) => (b.delayMs > a.delayMs ? b : a));
  const figures = cpu
    .map((phase) => `${phase.phase}: ${phase.cores.toFixed(2)} cores, ${phase.delayMs.toFixed(2)} ms per wake-up`)
    .join('; ');
  return worst.delayMs > generatorDelayLimitMs
    ? {
        check: 'generator',
        ok: false,
        detail: `the load generator was starved of CPU in the ${worst.phase} phase: woken, its threads waited ${worst.delayMs.toFixed(1)} ms for a core on average (GENERATOR_DELAY_LIMIT_MS ${generatorDelayLimitMs}); ${figures}`,
      }
    : { check: 'generator', ok: true, detail: figures };
}

export interface ScrapeCount {
  target: string;
  intervalS: number;
  seen: number;
}

/** Pure: the scrape check from how many times each target was scraped in a window of `windowS`. */
export function scrapeCheck(counts: ScrapeCount[], windowS: number): ValidityCheck {
  if (counts.length === 0) return { check: 'scrapes', ok: false, detail: 'Prometheus reported no scrape targets' };
  const missed = counts.map((count) => {
    const expected = Math.max(1, Math.floor(windowS / count.intervalS));
    return { ...count, expected, share: Math.max(0, expected - count.seen) / expected };
  });
  const worst = missed.reduce((a, b) => (b.share > a.share ? b : a));
  const total = missed.reduce((sum, m) => sum + Math.max(0, m.expected - m.seen), 0);
  const expected = missed.reduce((sum, m) => sum + m.expected, 0);
  return worst.share > maxMissedScrapeShare
    ? {
        check: 'scrapes',
        ok: false,
        detail: `Prometheus missed ${worst.expected - worst.seen} of ${worst.expected} scrapes of ${worst.target} (${percent(worst.share)}; at most ${percent(maxMissedScrapeShare)})`,
      }
    : {
        check: 'scrapes',
        ok: true,
        detail: `${counts.length} targets, ${expected - total} of ${expected} scrapes made`,
      };
}

/** Pure: the collector check from the growth of its refusal and failure counters in the window. */
export function collectorCheck(lost: { metric: string; value: number }[]): ValidityCheck {
  const nonzero = lost.filter((entry) => entry.value > 0);
  return nonzero.length > 0
    ? {
        check: 'collector',
        ok: false,
        detail: `the collector lost telemetry in the phases: ${nonzero.map((entry) => `${entry.metric} +${Math.round(entry.value)}`).join(', ')}`,
      }
    : { check: 'collector', ok: true, detail: 'no span or metric point refused or failed to export' };
}

export function clockCheck(jumps: ClockJump[], phases: PhaseWindow[]): ValidityCheck {
  const from = phases[0]?.start ?? 0;
  const to = phases.at(-1)?.end ?? Number.POSITIVE_INFINITY;
  const inside = jumps.filter((jump) => jump.at >= from && jump.at <= to);
  const worst = inside.reduce<ClockJump | undefined>(
    (a, b) => (a && Math.abs(a.ms) >= Math.abs(b.ms) ? a : b),
    undefined,
  );
  return worst
    ? {
        check: 'clock',
        ok: false,
        detail: `the wall clock jumped ${worst.ms > 0 ? 'forward' : 'back'} by ${(Math.abs(worst.ms) / 1000).toFixed(1)} s against the monotonic clock, at t = ${Math.round((worst.at - from) / 1000)} s`,
      }
    : { check: 'clock', ok: true, detail: 'the wall clock kept pace with the monotonic clock' };
}

export function faultsCheck(faults: FaultWindow[]): ValidityCheck {
  const unproven = faults.filter((fault) => !fault.proof?.ok);
  if (faults.length === 0) return { check: 'faults', ok: true, detail: 'no fault to prove' };
  return unproven.length > 0
    ? {
        check: 'faults',
        ok: false,
        detail: unproven
          .map((fault) => `fault ${fault.id} did not land: ${fault.proof?.detail ?? 'no evidence recorded'}`)
          .join('; '),
      }
    : { check: 'faults', ok: true, detail: faults.map((fault) => `${fault.id}: ${fault.proof?.detail}`).join('; ') };
}

/**
 * The proof of each toxic fault from the spans that crossed its proxy (the other kinds were proven when
 * applied): the collector's trace file is read once for every toxic (local mode, and docker mode without
 * Tempo); docker mode with Tempo asks it.
 */
export async function proveToxics(
  faults: FaultWindow[],
  applied: AppliedFault[],
  phases: PhaseWindow[],
  mode: 'local' | 'docker',
): Promise<FaultWindow[]> {
  const toxics = faults.flatMap((fault, i) => {
    const toxic = applied[i]?.toxic;
    return toxic && !fault.proof ? [{ fault, toxic, port: Number(toxic.listen.split(':').pop()) }] : [];
  });
  if (toxics.length === 0) return faults;
  const baseline = phases.find((phase) => phase.name === 'baseline');
  const from = baseline?.start ?? Math.min(...toxics.map((t) => t.fault.start));
  const to = Math.max(...toxics.map((t) => t.fault.end));
  const spans = !tracesInFile(mode) ? undefined : await spansThroughPorts(new Set(toxics.map((t) => t.port)), from, to);
  const proofs = new Map<FaultWindow, FaultWindow['proof']>();
  for (const { fault, toxic, port } of toxics) {
    const seen =
      spans ??
      (await tempoSpansThroughPort(port, from, to).catch((error: Error) => {
        proofs.set(fault, { ok: false, detail: `Tempo could not be asked for the spans: ${error.message}` });
        return [];
      }));
    if (proofs.has(fault)) continue;
    proofs.set(
      fault,
      proveToxic({
        proxy: fault.target,
        port,
        kind: fault.kind,
        ...(toxic.expectedDelayMs !== undefined ? { expectedDelayMs: toxic.expectedDelayMs } : {}),
        baseline: baseline ? edgeSpans(seen, port, baseline.start, baseline.end) : edgeSpans([], port, 0, 0),
        fault: edgeSpans(seen, port, fault.start, fault.end),
      }),
    );
  }
  return faults.map((fault) => (proofs.has(fault) ? { ...fault, proof: proofs.get(fault) } : fault));
}

/** Local mode: the spans in [from, to] that dialled one of the ports, from the collector's trace file. */
async function spansThroughPorts(ports: Set<number>, from: number, to: number): Promise<TimedSpan[]> {
  const needles = [...ports].map((port) => `"intValue":"${port}"`);
  const found: TimedSpan[] = [];
  for await (const span of spansBetween(from, to, (line) => needles.some((needle) => line.includes(needle)))) {
    const dialled = Number(span.attributes['server.port'] ?? span.attributes['net.peer.port']);
    if (ports.has(dialled)) found.push(span);
  }
  return found;
}

/** Scrapes per target in [fromMs, toMs], with each target's interval from Prometheus' target list. */
async function scrapeCounts(fromMs: number, toMs: number): Promise<ScrapeCount[]> {
  const response = await fetch(`${prometheusUrl}/api/v1/targets?state=active`, { signal: AbortSignal.timeout(10_000) });
  const body = (await response.json()) as {
    data: { activeTargets: { labels: Record<string, string>; scrapeInterval: string }[] };
  };
  const windowS = Math.max(1, Math.floor((toMs - fromMs) / 1000));
  const seen = await instantAt(`count_over_time(up[${windowS}s])`, toMs);
  return body.data.activeTargets.map((target) => {
    const { job, instance } = target.labels;
    const count = seen.find((s) => s.labels.job === job && s.labels.instance === instance)?.value ?? 0;
    return { target: `${job}/${instance}`, intervalS: Number.parseFloat(target.scrapeInterval) || 5, seen: count };
  });
}

const collectorLosses =
  'otelcol_(receiver_refused|exporter_send_failed|exporter_enqueue_failed|processor_refused|processor_dropped)_(spans|metric_points)(_total)?';

/** Every validity check of a finished run, in the order the report lists them. */
export async function validityChecks(options: {
  k6: K6Outcome;
  generatorCpu: GeneratorCpu[];
  generatorUnavailable?: string;
  phases: PhaseWindow[];
  faults: FaultWindow[];
  clockJumps: ClockJump[];
}): Promise<ValidityCheck[]> {
  const from = options.phases[0]?.start ?? Date.now();
  const to = options.phases.at(-1)?.end ?? Date.now();
  const windowS = Math.max(1, Math.floor((to - from) / 1000));
  const unreadable = (check: ValidityCheck['check']) => (error: Error) => ({
    check,
    ok: false,
    detail: `could not be read from Prometheus: ${error.message}`,
  });
  const scrapes = await scrapeCounts(from, to).then((counts) => scrapeCheck(counts, windowS), unreadable('scrapes'));
  // increase() drops the metric's name: list the counters that exist first, then read each one's growth.
  const collector = await instantAt(`{__name__=~"${collectorLosses}"}`, to)
    .then(async (series) => {
      const names = [...new Set(series.map((s) => s.labels.__name__ ?? ''))].filter(Boolean);
      const lost = await Promise.all(
        names.map(async (metric) => {
          const [sum] = await instantAt(`sum(increase(${metric}[${windowS}s]))`, to);
          return { metric, value: sum?.value ?? 0 };
        }),
      );
      return collectorCheck(lost);
    })
    .catch(unreadable('collector'));
  return [
    loadCheck(options.k6),
    generatorCheck(options.generatorCpu, options.generatorUnavailable),
    scrapes,
    collector,
    clockCheck(options.clockJumps, options.phases),
    faultsCheck(options.faults),
  ];
}

/** The reason a run is INVALID from its checks, or undefined when every check passed. */
export const invalidReason = (checks: ValidityCheck[]): string | undefined => {
  const failed = checks.filter((check) => !check.ok);
  return failed.length ? failed.map((check) => check.detail).join('; ') : undefined;
};
