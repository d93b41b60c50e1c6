/**
 * Crashes of the stack's real processes for the stack tests: SIGKILL of the process that does the work
 * (the postmaster, the Erlang VM, the Node service), not of a proxy in front of it, and the stack's own
 * way of starting it again.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Component } from '@confeitaria/stack/component';
import { components, waitHealthy } from '@confeitaria/stack/stack';
import { hold, release } from '@confeitaria/stack/supervision';

function component(name: string): Component {
  const found = components().find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no component named ${name}`);
  return found;
}

/** Holds the component (the supervisor leaves it down), SIGKILLs its real process and waits until it is gone. */
export async function crash(name: string): Promise<number> {
  const target = component(name);
  await hold(name, 'test');
  const pid = (await target.serverPid?.()) ?? (await target.pid());
  if (pid === undefined) throw new Error(`${name} is not running`);
  process.kill(pid, 'SIGKILL');
  const deadline = Date.now() + 10_000;
  while (((await target.serverPid?.()) ?? (await target.pid())) === pid) {
    if (Date.now() > deadline) throw new Error(`${name} (pid ${pid}) still running 10 s after SIGKILL`);
    await sleep(50);
  }
  return pid;
}

/** Starts the component again as the stack does, ends the hold, and waits until it is healthy. */
export async function restore(name: string): Promise<void> {
  const target = component(name);
  await target.start();
  await release(name, 'test');
  const health = await waitHealthy(target, 90_000);
  if (!health.ok) throw new Error(`${name} did not come back healthy: ${health.detail}`);
}

/** The pid of every service process, by component name. */
export async function servicePids(): Promise<Record<string, number | undefined>> {
  const services = components().filter((candidate) => candidate.kind === 'service');
  return Object.fromEntries(await Promise.all(services.map(async (service) => [service.name, await service.pid()])));
}
