/**
 * What one chaos run leaves behind: the runner writes it as `run.json` in the run's folder and the
 * report renders it (Markdown, HTML, charts). Every figure here was measured during the run; the
 * report only arranges it. Times are epoch milliseconds unless a name says otherwise.
 */
import type { AuditReport } from './audit/auditor';

export type Lang = 'en' | 'pt-BR';
/** A text in both languages the reports are written in. */
export type I18n = Record<Lang, string>;

export type PhaseName = 'baseline' | 'fault' | 'recovery';

export interface PhaseWindow {
  name: PhaseName;
  start: number;
  end: number;
}

/** One fault as it was really applied: its window is shaded on every chart. */
export interface FaultWindow {
  /** Stable id within the run, e.g. `latency@orders-postgres`. */
  id: string;
  /** toxic kind (latency, bandwidth, slow_close, timeout, reset_peer, slicer, limit_data), or
   * disable (proxy off), kill, pause, stop. */
  kind: string;
  /** Proxy or process name. */
  target: string;
  /** Human-readable parameters, e.g. `latency 200 ms ± 50 ms, downstream`. */
  detail: string;
  start: number;
  /** When its rollback finished. */
  end: number;
  /** The evidence that the fault changed what it was meant to (chaos/src/runner/fault-proof.ts). */
  proof?: FaultProof;
}

/** One check of whether a run's measurement can be trusted (chaos/src/runner/validity.ts). */
export interface ValidityCheck {
  check: 'load' | 'generator' | 'scrapes' | 'collector' | 'clock' | 'faults';
  ok: boolean;
  detail: string;
}

/** The load generator's CPU in one phase: cores used, and how long its threads waited for a core
 * each time they were woken, on average (chaos/src/runner/generator-cpu.ts). */
export interface GeneratorCpu {
  phase: PhaseName;
  cores: number;
  delayMs: number;
}

/** Time to detect and to recover from k6's per-request timings, in 1 s bins (runner/client-timeline.ts). */
export interface ClientTimes {
  binS: number;
  /** Requests k6 completed from the start of the baseline to the end of the run. */
  requests: number;
  baselineP95Ms: number;
  baselineFailedShare: number;
  /** A second is out above either limit. */
  latencyLimitMs: number;
  failedShareLimit: number;
  timeToDetectS: number | null;
  timeToRecoverS: number | null;
}

/** Whether a fault's effect was confirmed in the run's data, and by what. */
export interface FaultProof {
  ok: boolean;
  detail: string;
}

/**
 * A probe's tolerance in one phase: every sample (`all`), at least one (`any`), or the last one.
 * With `ofBaseline`, the bounds follow the machine the run is on: each is `times` × the probe's
 * baseline level (the median of its judged baseline samples, this run's own steady state) plus `min`
 * or `max`. A latency "back to its baseline" is `{ max: 0.1, ofBaseline: { times: 2 } }`: at most twice
 * what this machine did before the fault, plus 100 ms, on a fast laptop and on a slow CI runner alike.
 */
export interface Tolerance {
  min?: number;
  max?: number;
  mode: 'all' | 'any' | 'last';
  ofBaseline?: { times: number };
}

/**
 * A tolerance as judged: absolute bounds; `relative` keeps how they came from the baseline (whose
 * level is null, and the bounds absent, when the baseline had no data).
 */
export interface ResolvedTolerance {
  min?: number;
  max?: number;
  mode: Tolerance['mode'];
  relative?: { baseline: number | null; times: number; min?: number; max?: number };
}

export interface ProbePhaseResult {
  phase: PhaseName;
  /** Absolute bounds (a relative tolerance resolved against the baseline; unresolvable without one). */
  tolerance: ResolvedTolerance;
  /** Samples taken in that phase; `null` value = the query returned no series at that instant. */
  samples: [number, number | null][];
  ok: boolean;
  /** The sample that decided the verdict (worst for `all`, best for `any`, last for `last`). */
  observed: number | null;
}

export interface ProbeResult {
  name: string;
  title: I18n;
  query: string;
  unit: string;
  phases: ProbePhaseResult[];
  ok: boolean;
}

export interface TimelineSeries {
  label: string;
  points: [number, number | null][];
}

/** One chart of the report; `id` is one of the report's fixed charts. */
export interface TimelineChart {
  id: 'throughput' | 'errors' | 'latency' | 'queue' | 'breaker' | string;
  title: I18n;
  /** `req/s`, `ratio`, `s`, `messages`, `state` (circuit_breaker_state: 0 closed, 1 half-open, 2 open) … */
  unit: string;
  series: TimelineSeries[];
}

export interface K6Threshold {
  metric: string;
  expression: string;
  ok: boolean;
}

export interface K6Outcome {
  /** k6's exit code; -1 when k6 never ran (the scenario was not run: see RunResult.invalid). */
  exitCode: number;
  script: string;
  profile: string;
  thresholds: K6Threshold[];
  requests: number;
  /** Share of failed HTTP requests (k6's http_req_failed). */
  failedRate: number;
  /** Client-side latency of all requests, milliseconds. */
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  /** Orders the client saw accepted (the ledger the auditor checks). */
  acceptedOrders: number;
  /** Iterations completed, and iterations the arrival-rate executor could not start for want of a VU
   * (k6's dropped_iterations): the load the run meant to offer and did not. Absent in older runs. */
  iterations?: number;
  droppedIterations?: number;
  /** The most VUs k6 had allocated. */
  vusMax?: number;
  summaryFile: string;
}

export interface SlowTrace {
  traceId: string;
  durationMs: number;
  /** Root span name, e.g. `POST /api/orders`. */
  name: string;
  service: string;
}

/** One span of a waterfall figure, in the order it is drawn (depth first, children by start). */
export interface WaterfallRow {
  depth: number;
  service: string;
  name: string;
  /** Milliseconds from the start of the request (the gateway's server span). */
  startMs: number;
  durationMs: number;
  /** Its duration less the time its children were running, within the request (traces/attribution.ts). */
  selfMs: number;
}

/** One request's trace as a waterfall: the gateway's server span and the spans under it that started
 * before it answered (the saga's later hops share the trace but not the shopper's wait). */
export interface Waterfall {
  traceId: string;
  /** The gateway's server span name, e.g. `POST /api/orders`. */
  route: string;
  phase: PhaseName;
  /** Why this request: the baseline's typical one (nearest its median) or one of the fault's slowest. */
  pick: 'typical' | 'slowest';
  durationMs: number;
  rows: WaterfallRow[];
}

/** One hop's self-time per request, mean over the requests of a phase. */
export interface HopTime {
  /** `service` for server, consumer and internal spans; `service → peer` for client and producer spans. */
  hop: string;
  baselineMs: number;
  faultMs: number;
  addedMs: number;
  /** addedMs over the sum of every hop's addedMs; null when the fault added nothing. */
  share: number | null;
}

/** Where the latency the fault added to one route went, hop by hop (traces/attribution.ts). */
export interface TraceAttribution {
  route: string;
  baselineRequests: number;
  faultRequests: number;
  /** Mean duration of the route's gateway server span in each phase. */
  baselineMeanMs: number;
  faultMeanMs: number;
  /** Most added first. */
  hops: HopTime[];
}

/** The run's traces drawn and attributed (issue 17.4); absent when no trace was found, and in older runs. */
export interface TraceFigures {
  /** Where the traces were read: the collector's trace file, or Tempo. */
  source: 'file' | 'tempo';
  /** The baseline's typical request first, then the fault phase's slowest. */
  waterfalls: Waterfall[];
  attribution: TraceAttribution | null;
}

export interface Environment {
  node: string;
  os: string;
  cpus: string;
  memoryGiB: number;
  gitCommit: string;
  /** Pinned tool versions (k6, toxiproxy, collector) and the infrastructure's versions. */
  versions: Record<string, string>;
  mode: 'local' | 'docker';
}

export interface RunConfig {
  seed: number;
  /** Iterations per second the load generator was asked for. */
  rate: number;
  baselineS: number;
  faultS: number;
  recoveryS: number;
  lang: Lang;
}

/** What a Redis crash cost the carts, measured by the cart-writes meter (runner/cart-writes-meter.ts). */
export interface CartWritesLoss {
  meter: 'cart-writes';
  /** One write every this many milliseconds, one at a time. */
  intervalMs: number;
  /** Writes the shop acknowledged (200) before the first refusal. */
  acknowledged: number;
  /** Units found in the cart once the shop was back. */
  survived: number;
  lost: number;
  /** From the last write that survived to the last acknowledged one: how much time of writes was lost. */
  lostWindowMs: number;
  firstRefusedAt: number | null;
  lastAcknowledgedAt: number | null;
}

/** The load's requests while one crash was in force (from the kill until the process was back). */
export interface CrashWindowRequests {
  fault: string;
  target: string;
  start: number;
  end: number;
  requests: number;
  failed: number;
  /** Failed requests by HTTP status ("0" = no answer: the connection was cut or refused). */
  failedByStatus: Record<string, number>;
}

/** A process of the stack that exited or started during the run, and whether the run caused it. */
export interface ProcessEvent {
  at: number;
  process: string;
  change: 'exited' | 'started' | 'restarted';
  /** The process identity before and after (local: the pid; docker: the container's start time). */
  from?: string;
  to?: string;
  /** The fault that explains it; absent when the run did not cause it (and the hypothesis fails). */
  cause?: string;
  /** The process's last log lines around the event, when it was unexpected. */
  lastLog?: string[];
}

export interface RunResult {
  schema: 'confeitaria.chaos-run/1';
  scenario: { name: string; title: I18n; hypothesis: I18n; proves: I18n };
  startedAt: string;
  endedAt: string;
  config: RunConfig;
  phases: PhaseWindow[];
  faults: FaultWindow[];
  probes: ProbeResult[];
  timeline: TimelineChart[];
  /** Seconds from the first fault to the first probe out of tolerance; null when none went out. */
  timeToDetectS: number | null;
  /** Seconds from the end of the last fault to every steady-state probe back in tolerance (and
   * staying there); null when it never came back within the recovery phase. */
  timeToRecoverS: number | null;
  /** The same two times as the shoppers saw them, from k6's per-request output (absent when k6 wrote
   * none: an older run, or a run with no baseline requests). */
  clientTimes?: ClientTimes;
  k6: K6Outcome;
  audit: AuditReport;
  slowestTraces: SlowTrace[];
  traceFigures?: TraceFigures;
  /** The checks the measurement passed or failed (absent in runs made before issue 17.2, and in runs
   * that were not run); a failed one makes the run `invalid`. */
  validity?: ValidityCheck[];
  generatorCpu?: GeneratorCpu[];
  environment: Environment;
  /** The exact command that reproduces the run. */
  command: string;
  verdict: { ok: boolean; reasons: string[] };
  /** Set when the run was interrupted (SIGINT, timeout, error): what happened. Rollbacks still ran. */
  aborted?: string;
  /**
   * Set when the run could not be judged, with why (issue 19: no verdict without a valid measurement):
   * the shop did not settle before it (pre-flight), or the load generator never started, failed its
   * setup() or exited before the end of the recovery phase. Whatever was applied was rolled back at
   * once; probes, invariants and score are not judged (`probes` is empty, `audit.results` too), the
   * verdict's first reason starts with INVALID, and a suite reports the scenario as not run.
   */
  invalid?: string;
  /** What crashes cost by design, measured (absent in runs older than the crash scenarios). */
  losses?: { crashWindows: CrashWindowRequests[]; cartWrites?: CartWritesLoss };
  /** Every exit and start of a stack process the runner saw, expected or not. */
  processEvents?: ProcessEvent[];
}
