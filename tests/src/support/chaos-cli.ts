/**
 * The chaos runner as a user runs it, for the stack tests: its CLI in a child process (output seen as
 * it comes, to time an action on it), and the check that an experiment left nothing behind.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@confeitaria/stack/paths';
import { components, waitHealthy } from '@confeitaria/stack/stack';
import { toxiproxyUrl } from './endpoints';

interface ProxyState {
  enabled: boolean;
  toxics: { name: string }[];
}

export const proxies = async () =>
  (await (await fetch(`${toxiproxyUrl}/proxies`)).json()) as Record<string, ProxyState>;

/** Runs the chaos CLI; `onOutput` sees its whole output so far each time more comes (to time an action). */
export function chaos(
  args: string[],
  onOutput?: (text: string, child: ChildProcess) => void,
  env: Record<string, string> = {},
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [join(repoRoot, 'chaos', 'dist', 'src', 'cli.js'), ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    onOutput?.(output, child);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

/** Nothing of the experiment is left: every proxy enabled without toxics, every service up and not paused. */
export async function assertRolledBack(): Promise<void> {
  const leftovers = Object.entries(await proxies()).filter(([, proxy]) => !proxy.enabled || proxy.toxics.length > 0);
  assert.deepEqual(leftovers, [], 'proxies left disabled or with toxics');
  for (const service of components().filter((component) => component.kind === 'service')) {
    const pid = await service.pid();
    assert.ok(pid, `${service.name} runs`);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    assert.notEqual(
      stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3),
      'T',
      `${service.name} is not stopped`,
    );
    assert.ok((await waitHealthy(service, 30_000)).ok, `${service.name} healthy`);
  }
}
