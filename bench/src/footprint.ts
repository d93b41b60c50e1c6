/**
 * Part 4, footprint and start-up: memory of every component of the local stack (PSS of each process
 * with all its children, see process-tree.ts) at idle and at its peak under the shopper journey, and
 * the time from `up` to all-healthy with the tools already built.
 */
import { runK6 } from '@confeitaria/stack/k6';
import { down, up } from '@confeitaria/stack/stack';
import type { BenchContext } from './context';
import { processTrees, pssMiB } from './process-tree';

export interface ComponentMemory {
  component: string;
  idleMiB: number;
  loadMiB: number;
}

export interface Footprint {
  /** `up` from a stopped stack to all healthy, tools cached (null when the part was told not to restart). */
  startupSeconds: number | null;
  components: ComponentMemory[];
  idleTotalMiB: number;
  loadTotalMiB: number;
}

/** MiB (PSS) per component: its process and every descendant. */
async function memoryByComponent(): Promise<Map<string, number>> {
  const memory = new Map<string, number>();
  for (const [name, pids] of await processTrees()) {
    if (name.startsWith('k6')) continue;
    memory.set(
      name,
      pids.reduce((sum, pid) => sum + pssMiB(pid), 0),
    );
  }
  return memory;
}

export async function footprint(context: BenchContext, restart: boolean): Promise<Footprint> {
  const { progress, seconds, outDir } = context;
  let startupSeconds: number | null = null;
  if (restart) {
    progress.step('footprint', 'stopping the stack, then timing `up` with the tools cached', 30);
    await down();
    const started = Date.now();
    await up();
    startupSeconds = (Date.now() - started) / 1000;
  }
  progress.step('footprint', 'memory (PSS) at idle (after 5 s of quiet)', 5);
  await new Promise((resolve) => setTimeout(resolve, 5_000));
  const idle = await memoryByComponent();
  progress.step('footprint', `memory (PSS) under the shopper journey (8 journeys/s, ${seconds * 2} s)`, seconds * 2);
  const load = new Map<string, number>();
  const journey = runK6('journey', {
    profile: 'chaos',
    quiet: true,
    outDir: `${outDir}/k6/footprint-journey`,
    env: { RATE: '8', DURATION: `${seconds * 2}s` },
  });
  let running = true;
  void journey.finally(() => {
    running = false;
  });
  while (running) {
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    for (const [name, mib] of await memoryByComponent()) load.set(name, Math.max(load.get(name) ?? 0, mib));
  }
  await journey;
  const rows = [...idle].map(([component, idleMiB]) => ({
    component,
    idleMiB,
    loadMiB: load.get(component) ?? idleMiB,
  }));
  return {
    startupSeconds,
    components: rows,
    idleTotalMiB: rows.reduce((sum, row) => sum + row.idleMiB, 0),
    loadTotalMiB: rows.reduce((sum, row) => sum + row.loadMiB, 0),
  };
}
