/** The run's environment, recorded so a reader can tell what machine and versions produced the figures. */
import { execFileSync } from 'node:child_process';
import { cpus, release, totalmem, type } from 'node:os';
import { repoRoot } from '@confeitaria/stack/paths';
import { toolPins } from '@confeitaria/stack/tools';
import type { Environment } from '../run-result';

function commandOutput(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

export function environment(mode: 'local' | 'docker'): Environment {
  const dirty = commandOutput('git', ['status', '--porcelain']) !== '' ? ' (uncommitted changes)' : '';
  const versions: Record<string, string> = {
    node: process.version,
    postgres: commandOutput('psql', ['--version']).replace(/^psql \(PostgreSQL\) /, ''),
    redis: commandOutput('redis-server', ['--version']).match(/v=(\S+)/)?.[1] ?? 'unknown',
    prometheus: commandOutput('prometheus', ['--version']).match(/version (\S+)/)?.[1] ?? 'unknown',
  };
  versions.go = toolPins.go;
  for (const [name, pin] of Object.entries(toolPins)) {
    if (typeof pin === 'object' && pin && 'version' in pin)
      versions[name] = String((pin as { version: string }).version);
  }
  const [cpu] = cpus();
  return {
    node: process.version,
    os: `${type()} ${release()}`,
    cpus: `${cpus().length} × ${cpu?.model ?? 'unknown'}`,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    gitCommit: `${commandOutput('git', ['rev-parse', '--short', 'HEAD'])}${dirty}`,
    versions,
    mode,
  };
}
