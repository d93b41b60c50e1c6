/**
 * Process faults in local mode: the stack's own components (stack/src/stack.ts), acted on by signal.
 * Only services can be faulted this way; the datastores are shared by every service, so scenarios
 * break the edges to them (Toxiproxy) instead of killing them.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Component } from '@confeitaria/stack/dist/src/component';
import { components, waitHealthy } from '@confeitaria/stack/dist/src/stack';
import type { ProcessDriver } from './process-driver';

function service(name: string): Component {
  const component = components().find((candidate) => candidate.name === name && candidate.kind === 'service');
  if (!component) throw new Error(`no service named ${name}`);
  return component;
}

async function pidOf(name: string): Promise<number> {
  const pid = await service(name).pid();
  if (pid === undefined) throw new Error(`${name} is not running`);
  return pid;
}

const stopped = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'T';
  } catch {
    return false;
  }
};

async function gone(component: Component, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await component.pid()) !== undefined) {
    if (Date.now() > deadline) throw new Error(`${component.name} still running after ${timeoutMs} ms`);
    await sleep(50);
  }
}

export const localProcessDriver: ProcessDriver = {
  mode: 'local',
  names: () =>
    components()
      .filter((component) => component.kind === 'service')
      .map((component) => component.name),
  async kill(name) {
    process.kill(await pidOf(name), 'SIGKILL');
    await gone(service(name), 5_000);
  },
  async stop(name) {
    await service(name).stop();
  },
  async pause(name) {
    process.kill(await pidOf(name), 'SIGSTOP');
  },
  async resume(name) {
    const pid = await service(name).pid();
    if (pid !== undefined) process.kill(pid, 'SIGCONT');
  },
  async start(name) {
    const component = service(name);
    const pid = await component.pid();
    if (pid !== undefined && stopped(pid)) process.kill(pid, 'SIGCONT');
    await component.start();
    const health = await waitHealthy(component, 45_000);
    if (!health.ok) throw new Error(`${name} did not come back healthy: ${health.detail}`);
  },
  async running(name) {
    const pid = await service(name).pid();
    return pid !== undefined && !stopped(pid);
  },
};
