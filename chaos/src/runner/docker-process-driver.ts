/**
 * Process faults in docker mode: the containers of the compose project, acted on through the
 * `docker compose` CLI (kill -s SIGKILL, stop, pause, unpause, start), so scenarios name the same
 * processes as in local mode (compose service names = stack component names): the services and the
 * datastores (postgres-primary, postgres-replica, redis, rabbitmq).
 *
 * Held down or left to the restart policy: `docker kill` and `docker stop` mark a container as
 * stopped by hand, so its restart policy does not bring it back (moby daemon/kill.go sets
 * HasBeenManuallyStopped) — that is kill(), held until start(). A crash must not go through that API:
 * crash() SIGKILLs every process of the container but its init (`init: true` in docker-compose.yml
 * runs docker-init as PID 1), whose exit with 137 is what `restart: unless-stopped` restarts.
 *
 * Health comes from `docker compose ps --format json`, which reports the container's healthcheck
 * (the services' /readyz in docker-compose.yml). Unit-tested without Docker through an injected exec
 * (the argv it runs, and how it reads ps output); never run against a Docker engine yet.
 */
import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { serviceDefinitions } from '@confeitaria/stack/components/services';
import type { ProcessDriver } from './process-driver';

/** Runs a program with arguments (no shell) and resolves with its standard output. */
export type Exec = (file: string, args: string[]) => Promise<string>;

export interface DockerProcessDriverOptions {
  /** The compose project (`-p`); defaults to the project docker compose derives (COMPOSE_PROJECT_NAME, name:). */
  project?: string;
  /** The compose file (`-f`); defaults to docker compose's own lookup from the working directory. */
  composeFile?: string;
  /** Replaces the CLI, for tests. */
  exec?: Exec;
  /** How long start() waits for the healthcheck to pass. */
  healthTimeoutMs?: number;
  /** Pause between two `ps` polls. */
  pollMs?: number;
}

/** One container as `docker compose ps --format json` describes it (the fields used here). */
export interface ContainerState {
  Service: string;
  State: string;
  Health: string;
}

/** The datastores a crash scenario may kill (compose service names, as in local mode). */
const datastores = ['postgres-primary', 'postgres-replica', 'redis', 'rabbitmq'];
/** What a run measures and injects with: it must be up before a scenario starts. */
const measuringTools = ['toxiproxy', 'otel-collector', 'prometheus'];

const defaultExec: Exec = async (file, args) => (await promisify(execFile)(file, args, { maxBuffer: 1 << 22 })).stdout;

/** Parses ps output: an array (compose before 2.21) or one JSON object per line (since). */
export function parseComposePs(stdout: string): ContainerState[] {
  const text = stdout.trim();
  if (!text) return [];
  if (text.startsWith('[')) return JSON.parse(text) as ContainerState[];
  return text.split('\n').map((line) => JSON.parse(line) as ContainerState);
}

/** `service running startedAt` lines from docker inspect → the start time of each running container. */
export function parseInspectIdentities(stdout: string): Record<string, string | undefined> {
  const identities: Record<string, string | undefined> = {};
  for (const line of stdout.split('\n').filter(Boolean)) {
    const [service, running, startedAt] = line.trim().split(' ');
    if (service) identities[service] = running === 'true' ? startedAt : undefined;
  }
  return identities;
}

export function dockerProcessDriver(options: DockerProcessDriverOptions = {}): ProcessDriver {
  const exec = options.exec ?? defaultExec;
  const healthTimeoutMs = options.healthTimeoutMs ?? 120_000;
  const pollMs = options.pollMs ?? 500;
  const names = [...datastores, ...serviceDefinitions.map((definition) => definition.name)];
  const compose = (...args: string[]) =>
    exec('docker', [
      'compose',
      ...(options.composeFile ? ['-f', options.composeFile] : []),
      ...(options.project ? ['-p', options.project] : []),
      ...args,
    ]);
  const known = (name: string) => {
    if (!names.includes(name)) throw new Error(`no service named ${name} (known: ${names.join(', ')})`);
    return name;
  };
  const state = async (name: string): Promise<ContainerState | undefined> =>
    parseComposePs(await compose('ps', '--all', '--format', 'json', name)).find((each) => each.Service === name);
  const until = async (name: string, what: string, done: (current: ContainerState | undefined) => boolean) => {
    const deadline = Date.now() + healthTimeoutMs;
    for (;;) {
      const current = await state(name);
      if (done(current)) return;
      if (Date.now() > deadline) {
        throw new Error(`${name}: not ${what} after ${healthTimeoutMs} ms (state ${current?.State ?? 'absent'})`);
      }
      await sleep(pollMs);
    }
  };
  // A container without a healthcheck reports Health "": running is the best it can say.
  const healthy = (name: string) =>
    until(name, 'healthy', (now) => now?.State === 'running' && (now.Health === 'healthy' || now.Health === ''));
  const gone = (current: ContainerState | undefined) => current === undefined || current.State === 'exited';

  return {
    mode: 'docker',
    names: () => [...names],
    async kill(name) {
      await compose('kill', '-s', 'SIGKILL', known(name));
      await until(name, 'gone', gone);
    },
    async crash(name) {
      if (datastores.includes(name)) throw new Error(`${name}: crash needs docker-init in the container; use kill`);
      // kill(-1) from inside the container reaches every process but PID 1 (the init) and itself.
      await compose('exec', '-T', known(name), 'sh', '-c', 'kill -s KILL -1');
      await until(name, 'gone or restarting', (now) => now?.State !== 'running' || now.Health !== 'healthy');
    },
    async stop(name) {
      // `stop` sends SIGTERM, waits for the drain (up to compose's stop timeout), then returns.
      await compose('stop', known(name));
      await until(name, 'gone', gone);
    },
    async pause(name) {
      await compose('pause', known(name));
    },
    async resume(name) {
      await compose('unpause', known(name));
    },
    async start(name) {
      const current = await state(known(name));
      if (current?.State === 'paused') await compose('unpause', name);
      else if (current?.State !== 'running') await compose('start', name);
      await healthy(name);
    },
    awaitHealthy: (name) => healthy(known(name)),
    async running(name) {
      return (await state(known(name)))?.State === 'running';
    },
    async notReady() {
      // What a run needs: the processes faults act on and the tools it measures with (not one-shot
      // containers such as the chaos runner's own or k6's).
      const needed = [...names, ...measuringTools];
      const containers = parseComposePs(await compose('ps', '--all', '--format', 'json')).filter((each) =>
        needed.includes(each.Service),
      );
      return needed.flatMap((name) => {
        const each = containers.find((container) => container.Service === name);
        if (!each) return [`${name}: no container`];
        if (each.State === 'running' && ['healthy', ''].includes(each.Health)) return [];
        return [`${name}: ${each.State}${each.Health ? `, ${each.Health}` : ''}`];
      });
    },
    async identities() {
      const ids = (await compose('ps', '--all', '--quiet')).split('\n').filter(Boolean);
      if (ids.length === 0) return {};
      const lines = await exec('docker', [
        'inspect',
        '--format',
        '{{index .Config.Labels "com.docker.compose.service"}} {{.State.Running}} {{.State.StartedAt}}',
        ...ids,
      ]);
      return parseInspectIdentities(lines);
    },
    async recentLog(name, lines) {
      return (await compose('logs', '--no-color', '--no-log-prefix', '--tail', String(lines), name))
        .trimEnd()
        .split('\n');
    },
  };
}
