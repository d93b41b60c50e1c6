/**
 * Process faults in local mode: the stack's own components (stack/src/stack.ts), acted on by signal,
 * the services and the datastores alike. A kill SIGKILLs the process that does the work (the
 * postmaster, the Erlang VM under RabbitMQ's wrapper, the Node service) — never a proxy in front of it.
 *
 * Held or left to the supervisor (stack/src/supervision.ts): kill() and stop() first hold the component,
 * so the stack's supervisor leaves it down for the fault window, and start() brings it back the stack's
 * way and ends the hold; crash() holds nothing, so the supervisor must bring it back by itself, and the
 * rollback only waits for that (awaitHealthy).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Component } from '@confeitaria/stack/component';
import { isPaused, tail } from '@confeitaria/stack/process';
import { components } from '@confeitaria/stack/stack';
import { hold, release } from '@confeitaria/stack/supervision';
import type { ProcessDriver } from './process-driver';

/** What a fault may act on: the services and the datastores (not the tools the run itself reads). */
const faultable = new Set(['service', 'infra']);
const datastores = new Set(['postgres-primary', 'postgres-replica', 'redis', 'rabbitmq']);

function component(name: string): Component {
  const found = components().find((candidate) => candidate.name === name && offered(candidate));
  if (!found) throw new Error(`no process named ${name}`);
  return found;
}

const offered = (candidate: Component) =>
  faultable.has(candidate.kind) && (candidate.kind === 'service' || datastores.has(candidate.name));

/** The pid a crash kills: the server itself, not a wrapper around it. */
async function serverPid(target: Component): Promise<number> {
  const pid = (await target.serverPid?.()) ?? (await target.pid());
  if (pid === undefined) throw new Error(`${target.name} is not running`);
  return pid;
}

/** Waits until the killed pid is gone (the component may meanwhile run again under a new pid). */
async function gone(target: Component, pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = (await target.serverPid?.()) ?? (await target.pid());
    if (now !== pid) return;
    if (Date.now() > deadline) throw new Error(`${target.name} (pid ${pid}) still running after ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** Polls health until ok; a process not running yet (the supervisor's back-off) is waited for too. */
async function healthyWithin(target: Component, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let health = await target.health();
  while (!health.ok && Date.now() < deadline) {
    await sleep(250);
    health = await target.health();
  }
  if (!health.ok) throw new Error(`${target.name} did not come back healthy within ${timeoutMs} ms: ${health.detail}`);
}

export const localProcessDriver: ProcessDriver = {
  mode: 'local',
  names: () =>
    components()
      .filter(offered)
      .map((candidate) => candidate.name),
  async kill(name) {
    const target = component(name);
    await hold(name, 'chaos');
    const pid = await serverPid(target);
    process.kill(pid, 'SIGKILL');
    await gone(target, pid, 10_000);
  },
  async crash(name) {
    const target = component(name);
    const pid = await serverPid(target);
    process.kill(pid, 'SIGKILL');
    await gone(target, pid, 10_000);
  },
  async stop(name) {
    await hold(name, 'chaos');
    // The component's own stop() would end its supervision for good; a held process is stopped by signal.
    const target = component(name);
    const pid = await target.pid();
    if (pid === undefined) return;
    process.kill(pid, 'SIGTERM');
    await gone(target, pid, 30_000);
  },
  async pause(name) {
    const target = component(name);
    await hold(name, 'chaos');
    process.kill(await serverPid(target), 'SIGSTOP');
  },
  async resume(name) {
    const target = component(name);
    const pid = (await target.serverPid?.()) ?? (await target.pid());
    if (pid !== undefined) process.kill(pid, 'SIGCONT');
    await release(name, 'chaos');
  },
  async start(name) {
    const target = component(name);
    const pid = (await target.serverPid?.()) ?? (await target.pid());
    if (pid !== undefined && isPaused(pid)) process.kill(pid, 'SIGCONT');
    // Started while still held (under the component's start lock, so never twice), then released.
    await target.start();
    await release(name, 'chaos');
    await healthyWithin(target, 90_000);
  },
  async awaitHealthy(name) {
    await healthyWithin(component(name), 90_000);
  },
  async running(name) {
    const target = component(name);
    const pid = (await target.serverPid?.()) ?? (await target.pid());
    return pid !== undefined && !isPaused(pid);
  },
  async notReady() {
    const all = components();
    const health = await Promise.all(all.map((each) => each.health()));
    return all.flatMap((each, i) => (health[i]?.ok ? [] : [`${each.name}: ${health[i]?.detail ?? 'no answer'}`]));
  },
  async identities() {
    const all = components();
    const pids = await Promise.all(all.map(async (each) => (await each.serverPid?.()) ?? (await each.pid())));
    return Object.fromEntries(all.map((each, i) => [each.name, pids[i] === undefined ? undefined : String(pids[i])]));
  },
  async recentLog(name, lines) {
    const found = components().find((candidate) => candidate.name === name);
    return found ? (await tail(found.logFile, lines)).split('\n') : [];
  },
};
