/**
 * What should run, on disk (run/desired/<component>.json) so that it outlives every process that reads
 * it: the CLI writes it, the supervisor acts on it, and a supervisor started again later (after a crash,
 * or by the next `up`) picks up where the last one left off.
 *
 *   running   wanted: the supervisor restarts it, with back-off, whenever its process exits
 *   starting  launched by a plain start(), not yet seen healthy: the supervisor promotes it to running
 *             once it is, and forgets it if its process dies first (a failed start is not supervised)
 *   held      the supervisor leaves it alone, running or not (`hold`, a chaos fault window)
 *   (no file) not supervised: never started, or stopped on purpose (`stop`, `down`)
 *
 * Every change is made under the component's start lock, so it cannot interleave with a start.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withFileLock } from '../file-lock';
import { runDir } from '../paths';

export type DesiredState = 'running' | 'starting' | 'held';

export interface Desired {
  state: DesiredState;
  /** When it entered this state (ms since the epoch). */
  since: number;
  /** Who asked for it (`cli`, `up`, a chaos scenario's name), when someone did. */
  by?: string;
}

const desiredDir = join(runDir, 'desired');
const fileOf = (name: string) => join(desiredDir, `${name}.json`);

export function readDesired(name: string): Desired | undefined {
  try {
    const desired = JSON.parse(readFileSync(fileOf(name), 'utf8')) as Desired;
    return ['running', 'starting', 'held'].includes(desired.state) ? desired : undefined;
  } catch {
    return undefined;
  }
}

/** Replaces the file atomically (write, then rename), so a reader never sees half of it. */
export function writeDesired(name: string, desired: Desired | undefined): void {
  if (desired === undefined) {
    rmSync(fileOf(name), { force: true });
    return;
  }
  mkdirSync(desiredDir, { recursive: true });
  const partial = `${fileOf(name)}.${process.pid}.partial`;
  writeFileSync(partial, `${JSON.stringify(desired)}\n`);
  renameSync(partial, fileOf(name));
}

/** Forgets every desired state (`down`: nothing is wanted any more). */
export function clearDesired(): void {
  rmSync(desiredDir, { recursive: true, force: true });
}

/**
 * Runs `action` holding the component's start lock: starts (by anyone), the supervisor's decision to
 * restart, and changes of desired state are serialised per component across every process.
 */
export function underStartLock<T>(name: string, action: () => Promise<T>): Promise<T> {
  return withFileLock(join(runDir, 'locks', `${name}.lock`), `starting ${name}`, action);
}
