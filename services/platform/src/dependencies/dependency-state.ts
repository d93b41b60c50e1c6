import type { Logger } from 'pino';
import { Counter, Gauge } from 'prom-client';
import { registry } from '../metrics/registry';

const dependencyUp = new Gauge({
  name: 'dependency_up',
  help: 'Whether the service can reach a dependency right now (1) or not (0), as it last saw it.',
  labelNames: ['dependency'] as const,
  registers: [registry],
});

const dependencyOutages = new Counter({
  name: 'dependency_outages_total',
  help: 'Times the service lost a dependency (each outage once, however many retries it took).',
  labelNames: ['dependency'] as const,
  registers: [registry],
});

/**
 * One dependency's availability as this process sees it (Postgres, the replica, Redis, RabbitMQ).
 * Every client of a dependency reports what it observes here; an outage is logged once when it begins
 * and once when it ends (with its length), never once per retry, and is exported as
 * `dependency_up{dependency}` and `dependency_outages_total{dependency}`.
 */
export class DependencyState {
  private upSince: number | undefined = Date.now();
  private downSince: number | undefined;
  private lastError = '';

  constructor(
    readonly name: string,
    private readonly logger: Logger,
  ) {
    dependencyUp.set({ dependency: name }, 1);
    dependencyOutages.inc({ dependency: name }, 0);
  }

  get isUp(): boolean {
    return this.downSince === undefined;
  }

  /** Why it is down (the first error of the outage), or '' while it is up. */
  get reason(): string {
    return this.isUp ? '' : this.lastError;
  }

  /** Milliseconds since the outage began, 0 while up. */
  get downForMs(): number {
    return this.downSince === undefined ? 0 : Date.now() - this.downSince;
  }

  /** The dependency failed: the first report of an outage logs it, later ones only keep it going. */
  markDown(error: unknown): void {
    if (this.downSince !== undefined) return;
    this.downSince = Date.now();
    this.upSince = undefined;
    this.lastError = error instanceof Error ? error.message || error.name : String(error);
    dependencyUp.set({ dependency: this.name }, 0);
    dependencyOutages.inc({ dependency: this.name });
    this.logger.warn({ dependency: this.name, err: this.lastError }, `${this.name} unavailable`);
  }

  /** The dependency answered: ends an outage (logged with its length), a no-op while up. */
  markUp(): void {
    if (this.downSince === undefined) return;
    const downForMs = Date.now() - this.downSince;
    this.downSince = undefined;
    this.upSince = Date.now();
    dependencyUp.set({ dependency: this.name }, 1);
    this.logger.info({ dependency: this.name, downForMs }, `${this.name} available again after ${downForMs} ms`);
  }

  /** Milliseconds since it came back (or since start), 0 while down. */
  get upForMs(): number {
    return this.upSince === undefined ? 0 : Date.now() - this.upSince;
  }
}
