/**
 * Samples every container's memory with `docker stats` while something runs (the docker-mode test runs
 * it under the journey load of a chaos scenario) and keeps each container's peak, so the limits in
 * docker-compose.yml and the table in docs/docker.md come from measured figures.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { run } from './compose-cli';

export interface MemoryPeak {
  container: string;
  peakMiB: number;
  limitMiB: number;
  samples: number;
}

const units: Record<string, number> = { B: 1 / 2 ** 20, KiB: 1 / 1024, MiB: 1, GiB: 1024, kB: 1 / 1024, MB: 1 };

/** "12.5MiB / 128MiB" → [12.5, 128] in MiB. */
export function parseMemUsage(text: string): [number, number] {
  const [used, limit] = text.split('/').map((part) => {
    const match = part.trim().match(/^([\d.]+)\s*([A-Za-z]+)$/);
    if (!match) throw new Error(`docker stats: cannot read "${part}"`);
    const factor = units[match[2] ?? ''];
    if (factor === undefined) throw new Error(`docker stats: unit ${match[2]}`);
    return Number(match[1]) * factor;
  });
  return [used ?? Number.NaN, limit ?? Number.NaN];
}

/** Starts sampling; stop() ends it and returns the peaks, largest share of its limit first. */
export function sampleMemory(env: NodeJS.ProcessEnv, project: string, everyMs = 2_000) {
  const peaks = new Map<string, MemoryPeak>();
  let running = true;
  const loop = (async () => {
    while (running) {
      const ids = (
        await run('docker', ['ps', '-q', '--filter', `label=com.docker.compose.project=${project}`], { env })
      )
        .split('\n')
        .filter(Boolean);
      if (ids.length) {
        const lines = await run('docker', ['stats', '--no-stream', '--format', '{{.Name}}\t{{.MemUsage}}', ...ids], {
          env,
        }).catch(() => ''); // a container that restarts between ps and stats
        for (const line of lines.split('\n').filter(Boolean)) {
          const [name = '', usage = ''] = line.split('\t');
          const [used, limit] = parseMemUsage(usage);
          const container = name.replace(new RegExp(`^${project}-`), '').replace(/-1$/, '');
          const peak = peaks.get(container) ?? { container, peakMiB: 0, limitMiB: limit, samples: 0 };
          peak.peakMiB = Math.max(peak.peakMiB, used);
          peak.limitMiB = limit;
          peak.samples += 1;
          peaks.set(container, peak);
        }
      }
      await sleep(everyMs);
    }
  })();
  return {
    async stop(): Promise<MemoryPeak[]> {
      running = false;
      await loop;
      return [...peaks.values()].sort((a, b) => b.peakMiB / b.limitMiB - a.peakMiB / a.limitMiB);
    },
  };
}
