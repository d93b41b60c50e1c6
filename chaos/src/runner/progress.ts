/**
 * Live progress while an experiment runs: phase, time left, the load's request and error rates (k6's
 * own numbers, via Prometheus), and the faults in force. One line rewritten in place on a terminal; a
 * line every 5 s in a log (CI).
 */
import type { PhaseWindow } from '../run-result';
import type { AppliedFault } from './fault-injector';
import { instant } from './prometheus-client';

const tty = process.stdout.isTTY === true;

export class Progress {
  private lastPrint = 0;
  private rates = '';
  private lastQuery = 0;
  private lastNote = 0;

  constructor(
    private readonly scenario: string,
    private readonly phases: PhaseWindow[],
    private readonly testId: string,
    private readonly active: () => AppliedFault[],
  ) {}

  async tick(): Promise<void> {
    const now = Date.now();
    if (now - this.lastQuery >= 2_000) {
      this.lastQuery = now;
      const selector = `testid="${this.testId}"`;
      const [rate, errors] = await Promise.all([
        instant(`sum(rate(k6_http_reqs_total{${selector}}[10s]))`).catch(() => null),
        instant(
          `sum(rate(k6_http_reqs_total{${selector},expected_response="false"}[10s])) / sum(rate(k6_http_reqs_total{${selector}}[10s]))`,
        ).catch(() => null),
      ]);
      this.rates = `${rate === null ? '–' : rate.toFixed(1)} req/s · errors ${errors === null ? '0.0' : (errors * 100).toFixed(1)}%`;
    }
    if (!tty && now - this.lastPrint < 5_000) return;
    this.lastPrint = now;
    const phase = this.phases.find((p) => now >= p.start && now < p.end);
    const end = this.phases[this.phases.length - 1]?.end ?? now;
    const phaseText = phase
      ? `${phase.name} ${Math.round((now - phase.start) / 1000)}/${Math.round((phase.end - phase.start) / 1000)} s`
      : 'starting';
    const faults = this.active().map((fault) => fault.id);
    this.write(
      `${this.scenario} │ ${phaseText} │ ${Math.max(0, Math.round((end - now) / 1000))} s left │ ${this.rates} │ faults: ${faults.length ? faults.join(', ') : 'none'}`,
    );
  }

  /** A status line outside the phases (e.g. the audit settling): rewritten in place, or every 5 s in a log. */
  note(text: string): void {
    const now = Date.now();
    if (!tty && now - this.lastNote < 5_000) return;
    this.lastNote = now;
    this.write(`  ${text}`);
  }

  stop(): void {
    if (tty) process.stdout.write('\n');
  }

  private write(line: string): void {
    if (tty) process.stdout.write(`\r\x1b[2K${line.slice(0, (process.stdout.columns ?? 160) - 1)}`);
    else console.log(line);
  }
}
