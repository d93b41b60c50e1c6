/**
 * One experiment at a time, and nothing left behind by a runner that died. A runner rolls its faults
 * back on every way out it can see (the end, an error, Ctrl-C, a timeout), but not on SIGKILL, an OOM
 * kill or a closed laptop: its toxics stay on the proxies, a process it held down stays down, and its
 * k6 goes on loading the shop until its duration ends. Every pre-flight after that would wait for a
 * settled shop that never comes.
 *
 * So a runner takes a lease for its run: a file in the stack's state folder naming its pid, its
 * scenario and its k6's pid. The next runner that finds a lease whose runner is gone restores the
 * shop's resting state before its own pre-flight, and says what it did: that k6 stopped, Toxiproxy
 * reset (no toxic, every proxy enabled), every process of the stack resumed and started (both
 * idempotent). A lease whose runner still runs means another experiment is in progress: this run is not
 * started (two runs would judge each other's faults). The lease goes when its run ends.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stateDir } from '@confeitaria/stack/paths';
import type { FaultInjector } from './fault-injector';
import { pidAlive } from './fault-proof';
import type { ProcessDriver } from './process-driver';

export const leaseFile = () => join(process.env.CHAOS_LEASE_DIR ?? stateDir, 'chaos-runner.json');

interface Lease {
  pid: number;
  scenario: string;
  startedAt: string;
  k6Pid?: number;
}

function readLease(): Lease | undefined {
  try {
    const lease = JSON.parse(readFileSync(leaseFile(), 'utf8')) as Partial<Lease>;
    return typeof lease.pid === 'number' && typeof lease.scenario === 'string' ? (lease as Lease) : undefined;
  } catch {
    return undefined; // none, or unreadable: nothing to go by
  }
}

/** Whether `pid` is a running k6 (not a pid the system has since given to something else). */
function isK6(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'k6';
  } catch {
    return false;
  }
}

/** What a dead runner left, put back; each step said on one line. Never throws. */
async function restore(lease: Lease, processes: ProcessDriver, injector: FaultInjector): Promise<string[]> {
  const done: string[] = [];
  if (lease.k6Pid !== undefined && isK6(lease.k6Pid)) {
    try {
      process.kill(lease.k6Pid, 'SIGKILL');
      done.push(`its k6 (pid ${lease.k6Pid}) stopped`);
    } catch (error) {
      done.push(`its k6 (pid ${lease.k6Pid}) could not be stopped: ${(error as Error).message}`);
    }
  }
  const leftovers = await injector.leftovers().catch(() => []);
  await injector.toxiproxy
    .reset()
    .then(() => done.push(`Toxiproxy reset${leftovers.length ? ` (${leftovers.join(', ')})` : ''}`))
    .catch((error: Error) => done.push(`Toxiproxy reset failed: ${error.message}`));
  for (const name of processes.names()) {
    if (await processes.running(name).catch(() => true)) continue;
    await processes.resume(name).catch(() => {}); // paused, or not: start() below settles it
    await processes
      .start(name)
      .then(() => done.push(`${name} started`))
      .catch((error: Error) => done.push(`${name} did not start: ${error.message}`));
  }
  return done;
}

export class RunLease {
  private constructor(private readonly lease: Lease) {}

  /**
   * Takes the lease for `scenario`, first restoring what a dead runner left; a string (why) when
   * another runner is running now.
   */
  static async take(scenario: string, processes: ProcessDriver, injector: FaultInjector): Promise<RunLease | string> {
    const held = readLease();
    if (held && held.pid !== process.pid) {
      if (pidAlive(String(held.pid)))
        return `another chaos runner (pid ${held.pid}) has been running ${held.scenario} since ${held.startedAt}; two experiments at once would judge each other's faults`;
      console.log(
        `▸ the chaos runner of ${held.scenario} (pid ${held.pid}, started ${held.startedAt}) ended without rolling back`,
      );
      for (const line of await restore(held, processes, injector)) console.log(`  ${line}`);
    }
    const lease = new RunLease({ pid: process.pid, scenario, startedAt: new Date().toISOString() });
    lease.write();
    return lease;
  }

  /** Records k6's pid, so a runner that dies does not leave its load running. */
  k6(pid: number): void {
    this.lease.k6Pid = pid;
    this.write();
  }

  release(): void {
    if (readLease()?.pid === this.lease.pid) rmSync(leaseFile(), { force: true });
  }

  private write(): void {
    try {
      writeFileSync(leaseFile(), `${JSON.stringify(this.lease)}\n`);
    } catch {
      // A read-only state folder (a container without it): the run goes on without a lease.
    }
  }
}
