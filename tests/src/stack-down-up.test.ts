import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { cacheDir, repoRoot, stateDir } from '@confeitaria/stack/dist/src/paths';
import { components, down, up } from '@confeitaria/stack/dist/src/stack';

/** Processes whose command line points into the stack's state folder, the tool cache or this checkout's services. */
function ourProcesses(): string[] {
  const markers = [stateDir, cacheDir, `${repoRoot}/services/`];
  return execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => markers.some((marker) => line.includes(marker)))
    .filter((line) => !line.includes(' ps -eo'));
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
