/**
 * The stack's processes as trees (a component's process and all its descendants: Postgres backends,
 * the Erlang VM under RabbitMQ…), for memory (PSS) and CPU accounting from /proc. PSS, not RSS: shared
 * pages (Postgres's shared buffers, mapped by every backend; shared libraries) are divided among the
 * processes that map them, so the sum over the stack counts each page once.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { livePid } from '@confeitaria/stack/process';
import { components } from '@confeitaria/stack/stack';

const ticksPerSecond = 100; // USER_HZ on Linux

function parents(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone while we looked
    }
  }
  return children;
}

/** Every process of each running component, of the given extra launched processes (the benchmark's own
 * instances) and of the load generator (k6), by name. */
export async function processTrees(extra: string[] = []): Promise<Map<string, number[]>> {
  const children = parents();
  const descend = (root: number) => {
    const all: number[] = [];
    const stack = [root];
    while (stack.length) {
      const pid = stack.pop() as number;
      all.push(pid);
      stack.push(...(children.get(pid) ?? []));
    }
    return all;
  };
  const trees = new Map<string, number[]>();
  for (const component of components()) {
    const pid = await component.pid();
    if (pid !== undefined) trees.set(component.name, descend(pid));
  }
  for (const name of extra) {
    const pid = livePid(name);
    if (pid !== undefined) trees.set(name, descend(pid));
  }
  const k6 = [...children.values()].flat().filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'k6';
    } catch {
      return false;
    }
  });
  if (k6.length) trees.set('k6 (load generator)', k6);
  return trees;
}

/** Proportional set size of one process, MiB (0 when it is gone). */
export function pssMiB(pid: number): number {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    return Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

/** CPU seconds (user + system) one process has used so far (0 when it is gone). */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return 0;
  }
}

/** CPU seconds per process of each tree, to diff two snapshots taken around a measurement. */
export type CpuSnapshot = Map<string, Map<number, number>>;

export async function cpuSnapshot(extra: string[] = []): Promise<CpuSnapshot> {
  const snapshot: CpuSnapshot = new Map();
  for (const [name, pids] of await processTrees(extra))
    snapshot.set(name, new Map(pids.map((pid) => [pid, cpuSeconds(pid)])));
  return snapshot;
}

export interface CpuShare {
  component: string;
  /** Cores used on average over the interval. */
  cores: number;
}

/**
 * Cores used per tree between two snapshots, busiest first. Diffed per process: a Postgres backend
 * born during the interval counts from zero, one that was there before from its earlier total.
 */
export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot, seconds: number): CpuShare[] {
  return [...after]
    .map(([component, pids]) => {
      let used = 0;
      for (const [pid, total] of pids) used += Math.max(0, total - (before.get(component)?.get(pid) ?? 0));
      return { component, cores: used / seconds };
    })
    .filter((share) => share.cores > 0.005)
    .sort((a, b) => b.cores - a.cores);
}
