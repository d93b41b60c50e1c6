/**
 * The load generator's share of the CPU (issue 17.2: "the load generator's CPU saturated"). k6 shares
 * the machine with the shop; when it waits for a core, its clocks keep running and every latency it
 * reports includes the wait. Linux counts, per thread, the time it ran, the time it sat runnable in a
 * run queue and the times it got a core (/proc/<pid>/task/<tid>/schedstat: run ns, wait ns, slices).
 * Sampled every second and summed over k6's threads, they give, per phase, the cores k6 used and its
 * mean scheduling delay: how long a thread that was woken (a response arrived, a timer fired) waited
 * before it ran — the error each latency it measured may carry. (A share of time spent waiting would
 * not do: a mostly idle k6 waits a few hundred microseconds per wake-up and runs for less, so its share
 * looks starved while its measurements are exact.)
 */
import { readdir, readFile } from 'node:fs/promises';
import type { GeneratorCpu, PhaseWindow } from '../run-result';

interface Sample {
  at: number;
  /** Run and wait nanoseconds and time slices accumulated since the first sample, over every thread seen. */
  runNs: number;
  waitNs: number;
  slices: number;
}

/** Sums the growth of each thread's counters (a thread that ends takes its counters with it). */
export class ThreadTotals {
  private readonly last = new Map<string, [number, number, number]>();
  runNs = 0;
  waitNs = 0;
  slices = 0;

  add(tid: string, runNs: number, waitNs: number, slices: number): void {
    const [lastRun, lastWait, lastSlices] = this.last.get(tid) ?? [runNs, waitNs, slices];
    this.runNs += Math.max(0, runNs - lastRun);
    this.waitNs += Math.max(0, waitNs - lastWait);
    this.slices += Math.max(0, slices - lastSlices);
    this.last.set(tid, [runNs, waitNs, slices]);
  }
}

/** Per-phase figures from cumulative samples (pure, for the tests). */
export function generatorCpuByPhase(samples: Sample[], phases: PhaseWindow[]): GeneratorCpu[] {
  return phases.flatMap((phase) => {
    const inside = samples.filter((sample) => sample.at >= phase.start && sample.at <= phase.end);
    const first = inside[0];
    const last = inside[inside.length - 1];
    if (!first || !last || last.at <= first.at) return [];
    const runNs = last.runNs - first.runNs;
    const waitNs = last.waitNs - first.waitNs;
    const slices = last.slices - first.slices;
    return [
      {
        phase: phase.name,
        cores: runNs / 1e6 / (last.at - first.at),
        delayMs: slices > 0 ? waitNs / slices / 1e6 : 0,
      },
    ];
  });
}

export class GeneratorCpuWatch {
  private readonly samples: Sample[] = [];
  private readonly totals = new ThreadTotals();
  private timer: NodeJS.Timeout | undefined;
  /** Why sampling stopped working, if it did (no /proc: not Linux). */
  unavailable: string | undefined;

  start(pid: number, everyMs = 1_000): void {
    const tick = () => void this.sample(pid);
    tick();
    this.timer = setInterval(tick, everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async sample(pid: number): Promise<void> {
    const folder = `/proc/${pid}/task`;
    try {
      const tids = await readdir(folder);
      const stats = await Promise.all(
        tids.map((tid) =>
          readFile(`${folder}/${tid}/schedstat`, 'utf8').then(
            (text) => [tid, text] as const,
            () => undefined,
          ),
        ),
      );
      for (const stat of stats) {
        if (!stat) continue;
        const [run, wait, slices] = stat[1].trim().split(/\s+/).map(Number);
        if (Number.isFinite(run) && Number.isFinite(wait) && Number.isFinite(slices))
          this.totals.add(stat[0], run as number, wait as number, slices as number);
      }
      const { runNs, waitNs, slices } = this.totals;
      this.samples.push({ at: Date.now(), runNs, waitNs, slices });
    } catch (error) {
      // k6 has exited (its summary is being written) or this is not Linux: keep what was sampled.
      if (this.samples.length === 0) this.unavailable = `no scheduler statistics for k6 (${(error as Error).message})`;
      this.stop();
    }
  }

  byPhase(phases: PhaseWindow[]): GeneratorCpu[] {
    return generatorCpuByPhase(this.samples, phases);
  }
}
