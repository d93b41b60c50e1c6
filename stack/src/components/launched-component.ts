/**
 * The common shape of a component that is one long-running process we launch ourselves (Redis, the
 * exporters, Prometheus): write its config, launch it detached with a pid file, notice at once when it
 * dies on start-up, stop it by signal. Components with their own control tool (Postgres's pg_ctl,
 * rabbitmqctl) implement `Component` directly.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Component, Health } from '../component';
import { isAlive, type LaunchOptions, launch, livePid, logFileOf, tail, terminate } from '../process';

export interface LaunchedProcessSpec {
  name: string;
  ports: readonly number[];
  url?: string;
  command: string;
  args: readonly string[];
  options?: LaunchOptions;
  /** Writes config files and creates directories; runs before every launch. */
  prepare?: () => Promise<void> | void;
  /** Runs instead of a launch when the process already runs (e.g. to reload its config). */
  refresh?: () => Promise<void>;
  /** One quick probe; may throw, the component turns that into a failed health. */
  probe: () => Promise<Health>;
}

/** How long a fresh process must survive before `start()` trusts it got past reading its config. */
const survivalMs = 300;

export function launchedComponent(spec: LaunchedProcessSpec): Component {
  const logFile = logFileOf(spec.name);
  return {
    name: spec.name,
    kind: 'infra',
    ports: spec.ports,
    logFile,
    ...(spec.url ? { url: spec.url } : {}),
    async start() {
      const running = livePid(spec.name) !== undefined;
      try {
        await (running ? spec.refresh?.() : spec.prepare?.());
      } catch (error) {
        throw new Error(
          `${spec.name}: could not ${running ? 'refresh' : 'prepare'} its files: ${(error as Error).message}`,
        );
      }
      if (running) return;
      const pid = launch(spec.name, spec.command, [...spec.args], spec.options);
      await sleep(survivalMs);
      if (!isAlive(pid)) {
        throw new Error(`${spec.name}: exited right after start; last log lines:\n${await tail(logFile)}`);
      }
    },
    async health() {
      if (livePid(spec.name) === undefined) return { ok: false, detail: 'not running' };
      try {
        return await spec.probe();
      } catch (error) {
        return { ok: false, detail: (error as Error).message };
      }
    },
    async pid() {
      return livePid(spec.name);
    },
    stop: () => terminate(spec.name),
  };
}
