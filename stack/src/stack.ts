/**
 * The local stack as one ordered list of components, and the operations on all of them: up (the
 * supervisor first, then each component in order, healthy before the next, then wanted), status, down
 * (the supervisor first, then the rest in reverse order, then prove the ports are free).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Component, Health } from './component';
import { collector, traceFile } from './components/collector';
import { infraComponents } from './components/infra';
import { serviceComponents } from './components/services';
import { supervisor } from './components/supervisor';
import { toxiproxy } from './components/toxiproxy';
import { logDir, repoRoot, runDir } from './paths';
import { portOpen, tail } from './process';
import { markWanted, restartCounts, supervisionOf, underSupervision, wanted } from './supervision';
import { clearDesired } from './supervisor/desired-state';
import { clearEvents } from './supervisor/events';
import { ensureTools } from './tools';

/** What the supervisor watches: everything the stack starts but the supervisor, in start order, unwrapped. */
export function supervisedComponents(): Component[] {
  return [...infraComponents(), toxiproxy(), collector(), ...serviceComponents()];
}

/** The whole stack in start order, the supervisor first; start() and stop() keep the desired state. */
export function components(): Component[] {
  return [supervisor(), ...supervisedComponents().map(underSupervision)];
}

const phases: Record<Component['kind'], string> = {
  supervisor: 'supervisor',
  infra: 'infrastructure',
  tool: 'toxiproxy and collector',
  service: 'services',
};

const bold = (text: string) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Polls a component's health until ok or the deadline; returns the last health seen. A process that is
 * gone ends the wait early, unless it is wanted: then the supervisor is about to start it (a released
 * hold, a crash being restarted).
 */
export async function waitHealthy(component: Component, timeoutMs: number): Promise<Health> {
  const deadline = Date.now() + timeoutMs;
  let health = await component.health();
  while (!health.ok && Date.now() < deadline) {
    const gone = (await component.pid()) === undefined && component.kind !== 'infra';
    if (gone && !wanted(component.name)) break;
    await sleep(250);
    health = await component.health();
  }
  return health;
}

/** Starts whatever is not running and waits until everything is healthy. Throws naming the culprit. */
export async function up(options: { only?: string[] } = {}): Promise<Component[]> {
  const started = Date.now();
  console.log(bold('▸ tools (pinned in stack/tools.json, cached by version)'));
  await ensureTools();
  // The supervisor comes along with any selection: what `up` starts is supervised.
  const all = components().filter(
    (component) => component.kind === 'supervisor' || !options.only || options.only.includes(component.name),
  );
  let phase = '';
  for (const [index, component] of all.entries()) {
    if (component.kind !== phase) {
      phase = component.kind;
      console.log(bold(`▸ ${phases[component.kind]}`));
    }
    const t0 = Date.now();
    try {
      await component.start();
    } catch (error) {
      throw new Error(
        `${component.name} failed to start: ${(error as Error).message}\n${await tail(component.logFile)}`,
      );
    }
    const health = await waitHealthy(component, component.kind === 'infra' ? 90_000 : 45_000);
    if (!health.ok) {
      throw new Error(
        `${component.name} is not healthy (${health.detail}); last lines of ${component.logFile}:\n${await tail(component.logFile, 8)}`,
      );
    }
    // Wanted only once healthy: a component that fails to start is reported, not restarted in a loop.
    if (component.kind !== 'supervisor') await markWanted(component.name);
    console.log(
      `  ✓ ${component.name.padEnd(26)} ${seconds(Date.now() - t0).padStart(7)}  [${index + 1}/${all.length}] ${health.detail}`,
    );
  }
  writeFileSync(join(runDir, 'repo-root'), repoRoot);
  console.log(bold(`▸ all ${all.length} components healthy in ${seconds(Date.now() - started)}`));
  return all;
}

export interface StatusRow {
  component: string;
  kind: string;
  pid: string;
  /** wanted (restarted if it exits), held (left alone), starting (wanted once healthy), or - */
  supervised: string;
  /** Restarts by the supervisor, and how long ago the last one was: "2 (41 s ago)". */
  restarts: string;
  health: string;
  ports: string;
}

function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s ago`;
  return s < 7200 ? `${Math.round(s / 60)} min ago` : `${Math.round(s / 3600)} h ago`;
}

export async function status(): Promise<StatusRow[]> {
  const restarts = restartCounts();
  return Promise.all(
    components().map(async (component) => {
      const [pid, health] = await Promise.all([component.pid(), component.health()]);
      const desired = supervisionOf(component.name);
      const count = restarts[component.name];
      const supervised = { running: 'wanted', held: `held (${desired?.by})`, starting: 'starting' } as const;
      return {
        component: component.name,
        kind: component.kind,
        pid: pid === undefined ? '-' : String(pid),
        supervised: desired ? supervised[desired.state] : '-',
        restarts:
          component.kind === 'supervisor'
            ? '-'
            : count?.lastAt
              ? `${count.count} (${ago(Date.now() - count.lastAt)})`
              : '0',
        health: `${health.ok ? 'ok' : 'DOWN'}: ${health.detail}`,
        // Last: Toxiproxy's list is long.
        ports: component.ports.join(','),
      };
    }),
  );
}

/**
 * Stops the supervisor first (nothing may be restarted while the stack goes down), forgets what was
 * wanted and the journal, then stops the rest in reverse order; returns the ports still held afterwards
 * (should be none).
 */
export async function down(): Promise<number[]> {
  const [first, ...rest] = components();
  const all = [first, ...rest.reverse()].filter((component) => component !== undefined);
  for (const component of all) {
    const t0 = Date.now();
    await component.stop();
    if (component.kind === 'supervisor') {
      clearDesired();
      clearEvents();
    }
    console.log(`  ✓ stopped ${component.name.padEnd(26)} ${seconds(Date.now() - t0).padStart(7)}`);
  }
  const held: number[] = [];
  for (const port of all.flatMap((component) => component.ports)) if (await portOpen(port)) held.push(port);
  return held;
}

/** The checkout whose services the running stack was started from, if any. */
export function runningFrom(): string | undefined {
  try {
    return readFileSync(join(runDir, 'repo-root'), 'utf8');
  } catch {
    return undefined;
  }
}

/** The URLs worth opening, the trace file and the logs, as lines to print after `up` or a run. */
export function whereToLook(): string {
  const lines = ['\nWhere to look:'];
  for (const component of components())
    if (component.url) lines.push(`  ${component.name.padEnd(22)} ${component.url}`);
  lines.push(`  ${'traces (local mode)'.padEnd(22)} ${traceFile}`);
  lines.push(`  ${'logs'.padEnd(22)} ${logDir}/<component>.log  (npm run stack -- logs <component>)`);
  return lines.join('\n');
}
