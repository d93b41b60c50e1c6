import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { test } from 'node:test';
import { cacheDir, repoRoot, stateDir } from '@confeitaria/stack/paths';
import { components, down, up } from '@confeitaria/stack/stack';

/** The network namespace a process is in; other stacks on the machine run theirs in their own. */
const networkOf = (pid: string) => {
  try {
    return readlinkSync(`/proc/${pid}/ns/net`);
  } catch {
    return undefined;
  }
};

/**
 * Processes in this network namespace whose command line points into the stack's state folder, the
 * tool cache (shared by every stack on the machine) or this checkout's services.
 */
function ourProcesses(): string[] {
  const markers = [stateDir, cacheDir, `${repoRoot}/services/`];
  const ours = networkOf(String(process.pid));
  return execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => markers.some((marker) => line.includes(marker)))
    .filter((line) => !line.includes(' ps -eo'))
    .filter((line) => networkOf(line.trim().split(' ')[0] ?? '') === ours);
}

test('stack down leaves no process of ours running and no port held; up brings everything back healthy', async () => {
  const held = await down();
  assert.deepEqual(held, [], 'no port of ours is held after down');
  for (const component of components()) assert.equal(await component.pid(), undefined, `${component.name} stopped`);
  assert.deepEqual(ourProcesses(), [], 'no process of ours is left');

  const started = Date.now();
  const all = await up();
  console.log(`restart with warm data and cached tools: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  for (const component of all) assert.equal((await component.health()).ok, true, `${component.name} healthy`);
});
