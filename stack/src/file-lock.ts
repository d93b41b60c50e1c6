/**
 * A lock between processes: a file created with O_EXCL that names its owner's pid. Starting a
 * component is serialised by one (the CLI, the supervisor and the chaos runner may all start the same
 * component at the same moment; the second must find it running instead of launching it twice), and so
 * is building a tool into the shared cache (two checkouts building one collector into one folder
 * destroy each other's build). A lock whose owner died is taken over.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isAlive } from './process';

/** Files this process holds now: its own pid in a file it does not hold is a leftover, not a holder. */
const heldHere = new Set<string>();
/** Callers in this process queue here first, so only one of them polls the file. */
const queues = new Map<string, Promise<unknown>>();

function ownerOf(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
    return Number.isFinite(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** True when the file is gone or its owner is: the lock can be taken over. */
function stale(file: string): boolean {
  const owner = ownerOf(file);
  if (owner === undefined) {
    // Unreadable or empty: being written this very moment, or left half-written by a crash.
    try {
      return Date.now() - statSync(file).mtimeMs > 5_000;
    } catch {
      return true;
    }
  }
  if (owner === process.pid) return !heldHere.has(file);
  return !isAlive(owner);
}

function tryCreate(file: string): boolean {
  try {
    const fd = openSync(file, 'wx');
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

async function acquire(file: string, what: string, timeoutMs: number): Promise<void> {
  mkdirSync(dirname(file), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  while (!tryCreate(file)) {
    if (stale(file)) {
      rmSync(file, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`${what}: still locked by pid ${ownerOf(file)} after ${timeoutMs} ms`);
    await sleep(100);
  }
  heldHere.add(file);
}

function releaseFile(file: string): void {
  heldHere.delete(file);
  if (ownerOf(file) === process.pid) rmSync(file, { force: true });
}

/** Runs `action` while holding the lock file; waits (up to `timeoutMs`) for another holder to finish. */
export async function withFileLock<T>(
  file: string,
  what: string,
  action: () => Promise<T>,
  timeoutMs = 180_000,
): Promise<T> {
  const before = queues.get(file) ?? Promise.resolve();
  const run = before.then(async () => {
    await acquire(file, what, timeoutMs);
    try {
      return await action();
    } finally {
      releaseFile(file);
    }
  });
  const settled = run.catch(() => {});
  queues.set(file, settled);
  settled.then(() => {
    if (queues.get(file) === settled) queues.delete(file);
  });
  return run;
}
