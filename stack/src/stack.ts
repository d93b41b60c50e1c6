/**
 * The local stack as one ordered list of components, and the operations on all of them: up (start in
 * order, each healthy before the next), status, down (reverse order, then prove the ports are free).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Component, Health } from './component';
import { collector, traceFile } from './components/collector';
import { infraComponents } from './components/infra';
import { serviceComponents } from './components/services';
import { toxiproxy } from './components/toxiproxy';
import { logDir, repoRoot, runDir } from './paths';
import { portOpen, tail } from './process';
import { ensureTools } from './tools';

export function components(): Component[] {
  return [...infraComponents(), toxiproxy(), collector(), ...serviceComponents()];
}

const bold = (text: string) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Polls a component's health until ok or the deadline; returns the last health seen. */
export async function waitHealthy(component: Component, timeoutMs: number): Promise<Health> {
  const deadline = Date.now() + timeoutMs;
  let health = await component.health();
  while (!health.ok && Date.now() < deadline) {
    if ((await component.pid()) === undefined && component.kind !== 'infra') break;
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
  const all = components().filter((component) => !options.only || options.only.includes(component.name));
  let phase = '';
  for (const [index, component] of all.entries()) {
    if (component.kind !== phase) {
      phase = component.kind;
      console.log(
        bold(`▸ ${phase === 'infra' ? 'infrastructure' : phase === 'tool' ? 'toxiproxy and collector' : 'services'}`),
      );
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
  ports: string;
  health: string;
}

export async function status(): Promise<StatusRow[]> {
  return Promise.all(
    components().map(async (component) => {
      const [pid, health] = await Promise.all([component.pid(), component.health()]);
      return {
        component: component.name,
        kind: component.kind,
        pid: pid === undefined ? '-' : String(pid),
        ports: component.ports.join(','),
        health: `${health.ok ? 'ok' : 'DOWN'}: ${health.detail}`,
      };
    }),
  );
}

/** Stops everything in reverse order; returns the ports still held afterwards (should be none). */
export async function down(): Promise<number[]> {
  const all = components().reverse();
  for (const component of all) {
    const t0 = Date.now();
    await component.stop();
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
