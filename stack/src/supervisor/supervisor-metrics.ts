/**
 * The supervisor's /metrics (scraped by Prometheus as job `stack-supervisor`; no Node runtime series,
 * which the service dashboards would mistake for a service's). Every series exists from the start at
 * 0, so a query returns data before the first restart; the restart counters start from the journal,
 * so a supervisor started again carries on counting where the last one stopped.
 */
import { Counter, Gauge, Registry } from 'prom-client';
import type { Component } from '../component';
import { countRestarts, type SupervisorEvent } from './events';

export class SupervisorMetrics {
  readonly registry = new Registry();
  private readonly restarts = new Counter({
    name: 'stack_restarts_total',
    help: 'Processes of the local stack restarted by the supervisor after they exited (reason exit) or failed their liveness probe (reason liveness).',
    labelNames: ['component', 'kind', 'reason'] as const,
    registers: [this.registry],
  });
  private readonly up = new Gauge({
    name: 'stack_component_up',
    help: "Whether the component's process is alive (1) or not (0), as the supervisor last saw it.",
    labelNames: ['component', 'kind'] as const,
    registers: [this.registry],
  });
  private readonly held = new Gauge({
    name: 'stack_component_held',
    help: 'Whether the supervisor leaves the component alone (1: held, e.g. during a chaos fault window) or not (0).',
    labelNames: ['component'] as const,
    registers: [this.registry],
  });

  constructor(
    private readonly components: readonly Component[],
    journal: SupervisorEvent[],
  ) {
    const counted = countRestarts(journal);
    for (const component of components) {
      for (const reason of ['exit', 'liveness'] as const) {
        const labels = { component: component.name, kind: component.kind, reason };
        this.restarts.inc(labels, counted.get(component.name)?.byReason[reason] ?? 0);
      }
      this.up.set({ component: component.name, kind: component.kind }, 0);
      this.held.set({ component: component.name }, 0);
    }
  }

  restarted(component: Component, reason: 'exit' | 'liveness'): void {
    this.restarts.inc({ component: component.name, kind: component.kind, reason });
  }

  observed(component: Component, alive: boolean, held: boolean): void {
    this.up.set({ component: component.name, kind: component.kind }, alive ? 1 : 0);
    this.held.set({ component: component.name }, held ? 1 : 0);
  }

  async total(): Promise<number> {
    const { values } = await this.restarts.get();
    return values.reduce((sum, sample) => sum + sample.value, 0);
  }

  get watching(): number {
    return this.components.length;
  }
}
