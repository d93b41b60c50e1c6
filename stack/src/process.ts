import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { logDir, runDir } from './paths';

export const pidFileOf = (name: string) => join(runDir, `${name}.pid`);
export const logFileOf = (name: string) => join(logDir, `${name}.log`);

export interface LaunchOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Run as this system user (when we are root), e.g. for servers that refuse to run as root. */
  user?: string;
}

/**
 * Starts a long-running process detached from this one (its own process group, output appended to
 * its log file) and records its pid, so later `status` and `down` commands can find it.
 */
export function launch(name: string, command: string, args: string[], options: LaunchOptions = {}): number {
  mkdirSync(runDir, { recursive: true });
  mkdirSync(logDir, { recursive: true });
  const log = openSync(logFileOf(name), 'a');
  const [cmd, argv] =
    options.user && process.getuid?.() === 0
      ? ['runuser', ['-u', options.user, '--', command, ...args]]
      : [command, args];
  const child = spawn(cmd, argv, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    detached: true,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  if (child.pid === undefined) throw new Error(`${name}: could not spawn ${command}`);
  child.unref();
  writeFileSync(pidFileOf(name), `${child.pid}\n`);
  return child.pid;
}

/**
 * The process's scheduler state from /proc/<pid>/stat: R running, S sleeping, T stopped by a signal
 * (SIGSTOP: a chaos pause), Z zombie (exited, not yet reaped), ...; undefined when it cannot be read.
 */
export function processState(pid: number): string | undefined {
  try {
    // "pid (comm) state ...": comm may contain spaces and parentheses, the state follows the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return undefined;
  }
}

/** True while the process exists and is not a zombie (an exited child its parent has not reaped yet). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return processState(pid) !== 'Z';
}

/** True while the process is stopped by SIGSTOP (it exists, but cannot answer anything). */
export const isPaused = (pid: number): boolean => processState(pid) === 'T';

/** The process's children, from every one of its threads' /proc children lists. */
function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}

/**
 * Waits until no process has this pid at all, zombies included (bounded). A server killed a moment ago
 * can linger as a zombie until its parent reaps it, and a server that checks its own lock file (Postgres
 * with postmaster.pid) takes a zombie for a live predecessor and refuses to start.
 */
export async function waitReaped(pid: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') return;
    }
    if (Date.now() > deadline) return;
    await sleep(50);
  }
}

/** The nearest live descendant of `pid` whose command name (/proc/<pid>/comm) is `comm`. */
export function descendantNamed(pid: number, comm: string): number | undefined {
  const queue = childrenOf(pid);
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    try {
      if (readFileSync(`/proc/${next}/comm`, 'utf8').trim() === comm && isAlive(next)) return next;
    } catch {
      continue;
    }
    queue.push(...childrenOf(next));
  }
  return undefined;
}

/** The recorded pid of a launched process, if it is still alive. */
export function livePid(name: string): number | undefined {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(pidFileOf(name), 'utf8'), 10);
  } catch {
    return undefined;
  }
  return Number.isFinite(pid) && isAlive(pid) ? pid : undefined;
}

/** SIGTERM to the process group, then SIGKILL after the grace period; waits until it is gone. */
export async function terminate(name: string, graceMs = 10_000): Promise<void> {
  const pid = livePid(name);
  if (pid !== undefined) {
    signalGroup(pid, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (isAlive(pid) && Date.now() < deadline) await sleep(100);
    if (isAlive(pid)) signalGroup(pid, 'SIGKILL');
    while (isAlive(pid)) await sleep(50);
  }
  rmSync(pidFileOf(name), { force: true });
}

/** Signals the process group the process leads (launch() makes one per process), or the process alone. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** True when something accepts TCP connections on the port. */
export function portOpen(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** GETs a URL with a timeout; resolves to the status and body, or undefined when unreachable. */
export async function probeHttp(url: string, timeoutMs = 1_000): Promise<{ status: number; body: string } | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    return { status: response.status, body: await response.text() };
  } catch {
    return undefined;
  }
}

/** The last lines of a log file, for error messages that say why a start failed. */
export async function tail(file: string, lines = 5): Promise<string> {
  try {
    const text = await readFile(file, 'utf8');
    return text.trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log yet)';
  }
}
