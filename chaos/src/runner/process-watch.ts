/**
 * Watches every process of the stack for the whole run (issue 19: "a crash is never a pass"). A run on
 * a slower machine once reported a scenario as held while catalog-1 had died under it: its probes only
 * read, and catalog-2 served them. Now any exit or start the run did not cause is an event on the
 * report's timeline, with the process's last log lines, and fails the hypothesis.
 *
 * The watch records raw changes of each process's identity (local: the pid of the process that does the
 * work; docker: the container's start time); `explainChanges` then matches them with the faults applied.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ProcessEvent } from '../run-result';
import type { ProcessDriver } from './process-driver';

export interface ProcessChange {
  at: number;
  process: string;
  from?: string;
  to?: string;
  lastLog?: string[];
}

/** A fault window as far as processes are concerned: which process it acted on, and when. */
export interface ProcessFaultWindow {
  id: string;
  target: string;
  start: number;
  /** When its rollback finished (the process back and healthy); undefined while still in force. */
  end?: number;
}

export class ProcessWatch {
  private readonly changes: ProcessChange[] = [];
  private last: Record<string, string | undefined> = {};
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly driver: ProcessDriver,
    private readonly intervalMs = driver.mode === 'docker' ? 2_000 : 500,
  ) {}

  /** Takes the first snapshot (what runs before the run), then polls in the background. */
  async start(): Promise<void> {
    this.last = await this.driver.identities();
    this.running = this.poll();
  }

  /** Stops polling after one last look; resolves with every change seen. */
  async stop(): Promise<ProcessChange[]> {
    this.stopped = true;
    await this.running;
    await this.look();
    return [...this.changes];
  }

  private async poll(): Promise<void> {
    while (!this.stopped) {
      await sleep(this.intervalMs);
      await this.look().catch(() => {});
    }
  }

  private async look(): Promise<void> {
    const now = await this.driver.identities();
    const at = Date.now();
    for (const process of new Set([...Object.keys(this.last), ...Object.keys(now)])) {
      const from = this.last[process];
      const to = now[process];
      if (from === to) continue;
      const change: ProcessChange = { at, process, ...(from ? { from } : {}), ...(to ? { to } : {}) };
      this.changes.push(change);
      // Read while it is fresh: a restarted process soon buries why its predecessor died.
      change.lastLog = await this.driver.recentLog(process, 8).catch(() => []);
    }
    this.last = now;
  }
}

/**
 * Each change as an event, explained by the fault that acted on that process when it falls within the
 * fault's window (from a second before it was applied until `graceMs` after its rollback finished).
 * A change with no such fault is unexpected: its event has no `cause` and keeps the log lines.
 */
export function explainChanges(
  changes: ProcessChange[],
  faults: ProcessFaultWindow[],
  runEnd: number,
  graceMs = 5_000,
): ProcessEvent[] {
  return changes.map((change) => {
    const cause = faults.find(
      (fault) =>
        fault.target === change.process &&
        change.at >= fault.start - 1_000 &&
        change.at <= (fault.end ?? runEnd) + graceMs,
    );
    const kind: ProcessEvent['change'] =
      change.to === undefined ? 'exited' : change.from === undefined ? 'started' : 'restarted';
    return {
      at: change.at,
      process: change.process,
      change: kind,
      ...(change.from ? { from: change.from } : {}),
      ...(change.to ? { to: change.to } : {}),
      ...(cause ? { cause: cause.id } : { lastLog: change.lastLog ?? [] }),
    };
  });
}
