/**
 * Runs a short-lived system command (initdb, pg_ctl, rabbitmqctl, promtool) to completion, optionally
 * as another system user, with a timeout. Long-running servers go through `launch()` instead; this is
 * for the administrative steps around them, whose output only matters when they fail.
 */
import { execFile } from 'node:child_process';
import { chownSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface CommandOptions {
  /** Run as this system user when we are root (Postgres and RabbitMQ refuse to run as root). */
  user?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  timeoutMs?: number;
}

/** Resolves to the command's stdout; rejects with an error quoting its stderr when it fails. */
export function runCommand(command: string, args: string[], options: CommandOptions = {}): Promise<string> {
  const [cmd, argv] =
    options.user && process.getuid?.() === 0
      ? ['runuser', ['-u', options.user, '--', command, ...args]]
      : [command, args];
  return new Promise((resolve, reject) => {
    execFile(
      cmd,
      argv,
      {
        cwd: options.cwd,
        env: { ...process.env, ...options.env },
        timeout: options.timeoutMs ?? 60_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        const output = `${stdout}\n${stderr}`.trim().split('\n').slice(-8).join('\n');
        reject(new Error(`${command} ${args.join(' ')} failed (${error.code ?? error.signal}): ${output}`));
      },
    );
  });
}

/** Hands a file or directory we created as root to the system user the server runs as. */
export function chownToUser(path: string, user: string): void {
  const entry = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((line) => line.startsWith(`${user}:`));
  const [, , uid, gid] = entry?.split(':') ?? [];
  if (uid === undefined || gid === undefined)
    throw new Error(`system user ${user} does not exist (run stack/bootstrap.sh)`);
  chownSync(path, Number(uid), Number(gid));
}

/**
 * A private directory for a server that runs as `user`. Its parents stay world-traversable (mode 755)
 * because the server's user must be able to walk down to it.
 */
export function ownedDirectory(path: string, user: string): void {
  mkdirSync(dirname(path), { recursive: true });
  mkdirSync(path, { recursive: true, mode: 0o700 });
  chownToUser(path, user);
}
