/**
 * Tells the observability stack what the experiment is doing, in local and docker mode alike: gauges
 * pushed as OTLP metrics to the collector every 2 s (the path every service's telemetry takes),
 * which Prometheus scrapes from the collector like any service's metrics; and region annotations posted
 * to Grafana when one answers (docker mode). While the run lasts: `chaos_phase`, `chaos_fault_active`
 * and a heartbeat; once it is judged, its outcome (`chaos_run_*`), which the demo panel's classroom
 * mode sets against the audience's prediction (docs/telemetry.md lists them all).
 *
 * Pushed, not scraped: the runner is a process on the host or a one-shot container, which Prometheus
 * could not find in docker mode, and a scrape target that exists only during runs would be "down" all
 * day. The collector keeps a pushed series for 5 minutes after its last export (metric_expiration), so a
 * runner that was killed leaves its last phase behind: readers ask for a fresh heartbeat as well.
 */
import { hostname } from 'node:os';
import { basename, dirname } from 'node:path';
import { host, ports } from '@confeitaria/stack/ports';
import type { Attributes, Gauge } from '@opentelemetry/api';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import type { AuditReport } from '../audit/auditor';
import type { K6Outcome, RunResult } from '../run-result';
import type { AppliedFault } from './fault-injector';

/** What the chaos_phase gauge can say: the run's three phases, and what comes before and after them. */
export type SignalPhase = 'preflight' | 'baseline' | 'fault' | 'recovery' | 'judging';
const signalPhases: SignalPhase[] = ['preflight', 'baseline', 'fault', 'recovery', 'judging'];

/** PASS, FAIL, INVALID (not judged: issue 19) or ABORTED (interrupted: Ctrl-C, timeout, error). */
export type VerdictLabel = 'PASS' | 'FAIL' | 'INVALID' | 'ABORTED';

/** The part of a run's result its outcome is told from. */
export type RunOutcome = Pick<RunResult, 'verdict' | 'invalid' | 'aborted' | 'endedAt' | 'timeToRecoverS'> & {
  audit: Pick<AuditReport, 'ok'>;
  k6: Pick<K6Outcome, 'exitCode' | 'failedRate' | 'p95Ms' | 'acceptedOrders'>;
};

export function verdictLabel(result: RunOutcome): VerdictLabel {
  if (result.invalid !== undefined) return 'INVALID';
  if (result.aborted !== undefined) return 'ABORTED';
  return result.verdict.ok ? 'PASS' : 'FAIL';
}

/** A run's name as the demo panel shows it: its folder, with the trials folder for a trial (`…-db-latency/trial-2`). */
export function runName(outDir: string): string {
  const name = basename(outDir);
  return /^trial-\d+$/.test(name) ? `${basename(dirname(outDir))}/${name}` : name;
}

/** Where the collector takes OTLP/HTTP: OTEL_EXPORTER_OTLP_ENDPOINT (the chaos container sets it), else the local stack's. */
function metricsUrl(): string {
  const base = process.env.OTEL_EXPORTER_OTLP_ENDPOINT || `http://${host}:${ports.collectorOtlpHttp}`;
  return `${base.replace(/\/+$/, '')}/v1/metrics`;
}

/** Where Grafana is and how to post to it; local docker Grafana's defaults, GRAFANA_TOKEN anywhere else. */
function grafana() {
  const { GRAFANA_URL, GRAFANA_TOKEN, GRAFANA_USER, GRAFANA_PASSWORD } = process.env;
  return {
    url: GRAFANA_URL ?? 'http://127.0.0.1:3000',
    auth: GRAFANA_TOKEN
      ? `Bearer ${GRAFANA_TOKEN}`
      : `Basic ${Buffer.from(`${GRAFANA_USER ?? 'admin'}:${GRAFANA_PASSWORD ?? 'admin'}`).toString('base64')}`,
  };
}

export class FaultSignal {
  private readonly provider: MeterProvider;
  private readonly faultActive: Gauge;
  private readonly phase: Gauge;
  private readonly outcome: Record<
    'verdict' | 'auditClean' | 'failedRatio' | 'p95' | 'recovery' | 'acceptedOrders' | 'end',
    Gauge
  >;
  private readonly pending: Promise<void>[] = [];
  private grafanaUp: boolean | undefined;
  private readonly grafana = grafana();
  private finished = false;

  constructor(private readonly scenario: string) {
    this.provider = new MeterProvider({
      resource: resourceFromAttributes({
        'service.name': 'chaos-runner',
        'service.instance.id': `${hostname()}:${process.pid}`,
      }),
      readers: [
        new PeriodicExportingMetricReader({
          exporter: new OTLPMetricExporter({ url: metricsUrl(), timeoutMillis: 2_000 }),
          exportIntervalMillis: 2_000,
          exportTimeoutMillis: 2_000,
        }),
      ],
    });
    const meter = this.provider.getMeter('confeitaria-chaos');
    this.faultActive = meter.createGauge('chaos_fault_active', {
      description: 'A fault the chaos runner has applied and not yet rolled back (1), or rolled back (0).',
    });
    this.phase = meter.createGauge('chaos_phase', {
      description: 'The phase the running experiment is in (1 for the current one, 0 for the others).',
    });
    meter
      .createObservableGauge('chaos_runner_heartbeat_timestamp_seconds', {
        description: 'When the chaos runner last exported (Unix seconds): a phase without a fresh heartbeat is stale.',
      })
      .addCallback((observer) => {
        if (!this.finished) observer.observe(Date.now() / 1000, { scenario });
      });
    this.outcome = {
      verdict: meter.createGauge('chaos_run_verdict', { description: 'A judged run (1), labelled with its verdict.' }),
      auditClean: meter.createGauge('chaos_run_audit_clean', {
        description: "The auditor's verdict: 1 nothing lost or doubled.",
      }),
      failedRatio: meter.createGauge('chaos_run_failed_requests_ratio', {
        description: 'Share of the requests that failed.',
      }),
      p95: meter.createGauge('chaos_run_p95_latency_seconds', {
        description: "95th percentile of the load's latency.",
      }),
      recovery: meter.createGauge('chaos_run_recovery_seconds', {
        description: 'From the last rollback to every probe back.',
      }),
      acceptedOrders: meter.createGauge('chaos_run_accepted_orders', {
        description: 'Orders the load saw accepted, all audited.',
      }),
      end: meter.createGauge('chaos_run_end_timestamp_seconds', { description: 'When the run ended (Unix seconds).' }),
    };
  }

  /** Starts announcing the run (phase `preflight`) and learns whether Grafana answers for annotations. */
  async start(): Promise<void> {
    this.enterPhase('preflight');
    this.grafanaUp = await fetch(`${this.grafana.url}/api/health`, { signal: AbortSignal.timeout(1_000) }).then(
      (response) => response.ok,
      () => false,
    );
  }

  enterPhase(phase: SignalPhase): void {
    for (const name of signalPhases)
      this.phase.record(name === phase ? 1 : 0, { scenario: this.scenario, phase: name });
  }

  faultChanged(fault: AppliedFault): void {
    this.faultActive.record(fault.end === undefined ? 1 : 0, {
      scenario: this.scenario,
      fault: fault.id,
      kind: fault.kind,
      target: fault.target,
    });
    if (fault.end !== undefined && this.grafanaUp) this.pending.push(this.annotate(fault));
  }

  /**
   * Ends the announcement: no phase is current any more and, given the run's result, its outcome is
   * exported (labelled with the run's folder, `run`). Sends the outcome three times (up to 2 s each: a
   * collector that is down costs the outcome, never the run) and for the Grafana annotations.
   */
  async finish(result?: RunOutcome, outDir?: string): Promise<void> {
    if (this.finished) return;
    for (const name of signalPhases) this.phase.record(0, { scenario: this.scenario, phase: name });
    if (result) this.recordOutcome(result, outDir ? runName(outDir) : `${this.scenario}@${result.endedAt}`);
    this.finished = true;
    await Promise.all(this.pending);
    // The outcome is sent three times, a moment apart: the reader reports no failed export (it only
    // logs it), and a collector slow to answer on a busy machine must not cost the outcome. The gauges
    // are cumulative, so a second copy changes nothing.
    for (let copy = 0; copy < 3; copy++) {
      await this.provider.forceFlush().catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    await this.provider.shutdown().catch(() => {});
  }

  private recordOutcome(result: RunOutcome, run: string): void {
    const labels: Attributes = { scenario: this.scenario, run };
    this.outcome.verdict.record(1, { ...labels, verdict: verdictLabel(result) });
    this.outcome.end.record(Date.parse(result.endedAt) / 1000, labels);
    if (result.invalid !== undefined) return;
    this.outcome.auditClean.record(result.audit.ok ? 1 : 0, labels);
    if (result.k6.exitCode !== -1) {
      this.outcome.failedRatio.record(result.k6.failedRate, labels);
      this.outcome.p95.record(result.k6.p95Ms / 1000, labels);
      this.outcome.acceptedOrders.record(result.k6.acceptedOrders, labels);
    }
    if (result.timeToRecoverS !== null) this.outcome.recovery.record(result.timeToRecoverS, labels);
  }

  private async annotate(fault: AppliedFault): Promise<void> {
    await fetch(`${this.grafana.url}/api/annotations`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: this.grafana.auth },
      body: JSON.stringify({
        time: fault.start,
        timeEnd: fault.end,
        tags: ['chaos', this.scenario, fault.kind],
        text: `${this.scenario}: ${fault.id} — ${fault.detail}`,
      }),
      signal: AbortSignal.timeout(2_000),
    }).then(
      () => {},
      () => {},
    );
  }
}
