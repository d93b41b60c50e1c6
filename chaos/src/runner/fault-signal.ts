/**
 * Tells the observability stack what the experiment is doing, so the fault windows appear on the
 * dashboards: a /metrics endpoint Prometheus scrapes while the run lasts (`chaos_fault_active`,
 * `chaos_phase`), and region annotations posted to Grafana when one answers (docker mode).
 */
import { createServer, type Server } from 'node:http';
import { setChaosRunnerTarget } from '@confeitaria/stack/dist/src/components/prometheus';
import { host, ports } from '@confeitaria/stack/dist/src/ports';
import { Gauge, Registry } from 'prom-client';
import type { PhaseName } from '../run-result';
import type { AppliedFault } from './fault-injector';

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
  private readonly registry = new Registry();
  private readonly faultActive = new Gauge({
    name: 'chaos_fault_active',
    help: 'A fault the chaos runner has applied and not yet rolled back (1), or rolled back (0).',
    labelNames: ['scenario', 'fault', 'kind', 'target'] as const,
    registers: [this.registry],
  });
  private readonly phase = new Gauge({
    name: 'chaos_phase',
    help: 'The phase the running experiment is in (1 for the current one).',
    labelNames: ['scenario', 'phase'] as const,
    registers: [this.registry],
  });
  private server: Server | undefined;
  private readonly pending: Promise<void>[] = [];
  private grafanaUp: boolean | undefined;
  private readonly grafana = grafana();

  constructor(private readonly scenario: string) {}

  /** Serves /metrics and points Prometheus at it. A busy port (another run) is an error, not a silent skip. */
  async start(): Promise<void> {
    this.server = createServer(async (_request, response) => {
      response.setHeader('Content-Type', this.registry.contentType);
      response.end(await this.registry.metrics());
    });
    await new Promise<void>((resolve, reject) => {
      this.server?.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          error.code === 'EADDRINUSE'
            ? new Error(`port ${ports.chaosRunner} is taken: is another experiment running?`)
            : error,
        ),
      );
      // Docker mode: Prometheus scrapes the runner's container, so it listens beyond loopback.
      this.server?.listen(ports.chaosRunner, process.env.CHAOS_METRICS_HOST ?? host, resolve);
    });
    setChaosRunnerTarget(true);
    this.grafanaUp = await fetch(`${this.grafana.url}/api/health`, { signal: AbortSignal.timeout(1_000) }).then(
      (response) => response.ok,
      () => false,
    );
  }

  enterPhase(phase: PhaseName): void {
    for (const name of ['baseline', 'fault', 'recovery'] as const) {
      this.phase.set({ scenario: this.scenario, phase: name }, name === phase ? 1 : 0);
    }
  }

  faultChanged(fault: AppliedFault): void {
    this.faultActive.set(
      { scenario: this.scenario, fault: fault.id, kind: fault.kind, target: fault.target },
      fault.end === undefined ? 1 : 0,
    );
    if (fault.end !== undefined && this.grafanaUp) this.pending.push(this.annotate(fault));
  }

  /** Keeps serving a final scrape's worth of zeros, then withdraws the target and closes. */
  async stop(lingerMs = 6_000): Promise<void> {
    await Promise.all(this.pending);
    this.phase.reset();
    await new Promise((resolve) => setTimeout(resolve, lingerMs));
    setChaosRunnerTarget(false);
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
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
