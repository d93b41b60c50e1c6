/**
 * RabbitMQ for the local stack: a project-owned node (`confeitaria@localhost`) with its own config,
 * data, Erlang cookie, distribution port and even its own epmd, so it never meets the machine's node
 * or the epmd on 4369. Debian's scripts want the node to run as the `rabbitmq` user, so everything it
 * writes is owned by that user. Metrics come from the bundled rabbitmq_prometheus plugin.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Component } from '../component';
import { dataDir, stateDir } from '../paths';
import { host, ports } from '../ports';
import { descendantNamed, launch, livePid, portOpen, probeHttp, terminate } from '../process';
import { launchedComponent } from './launched-component';
import { chownToUser, ownedDirectory, runCommand } from './system-command';

const nodeName = 'confeitaria@localhost';
const scriptsDir = '/usr/lib/rabbitmq/bin';
const configDir = join(stateDir, 'rabbitmq');
/** The node's HOME: Erlang reads the cookie from here, and both server and rabbitmqctl must agree. */
const home = join(dataDir, 'rabbitmq');
const epmdName = 'rabbitmq-epmd';

/** Environment shared by the server and rabbitmqctl; without the same values they cannot find each other. */
const nodeEnv: NodeJS.ProcessEnv = {
  RABBITMQ_NODENAME: nodeName,
  RABBITMQ_CONF_ENV_FILE: join(configDir, 'rabbitmq-env.conf'),
  RABBITMQ_CONFIG_FILE: join(configDir, 'rabbitmq.conf'),
  RABBITMQ_ADVANCED_CONFIG_FILE: join(configDir, 'advanced.config'),
  RABBITMQ_ENABLED_PLUGINS_FILE: join(configDir, 'enabled_plugins'),
  RABBITMQ_MNESIA_BASE: join(home, 'mnesia'),
  RABBITMQ_LOG_BASE: join(home, 'log'),
  RABBITMQ_DIST_PORT: `${ports.rabbitmqDist}`,
  ERL_EPMD_PORT: `${ports.rabbitmqEpmd}`,
  ERL_EPMD_ADDRESS: host,
};

function config(): string {
  return `# Written by stack/src/components/rabbitmq.ts at every start; edits here are overwritten.
listeners.tcp.default = ${host}:${ports.rabbitmqAmqp}
prometheus.tcp.ip = ${host}
prometheus.tcp.port = ${ports.rabbitmqPrometheus}
# Per-queue series on /metrics: the dashboards show depth and parked messages per queue.
prometheus.return_per_object_metrics = true
# Queue depths refresh every second (default 5 s): the auditor waits on them to know the saga settled.
collect_statistics_interval = 1000
loopback_users = none
default_user = ${process.env.RABBITMQ_USER ?? 'confeitaria'}
default_pass = ${process.env.RABBITMQ_PASSWORD ?? 'confeitaria'}
disk_free_limit.absolute = 50MB
vm_memory_high_watermark.relative = 0.2
# Prometheus is the only consumer of metrics: skip the management stats (and their 5 s shutdown delay).
management_agent.disable_metrics_collector = true
log.console = true
log.console.level = info
log.console.use_colors = off
log.file = false
`;
}

function writeNodeFiles(): void {
  ownedDirectory(configDir, 'rabbitmq');
  ownedDirectory(home, 'rabbitmq');
  const files: Record<string, string> = {
    [join(configDir, 'rabbitmq.conf')]: config(),
    [join(configDir, 'rabbitmq-env.conf')]:
      '# Empty on purpose: keeps /etc/rabbitmq/rabbitmq-env.conf out of our node.\n',
    [join(configDir, 'enabled_plugins')]: '[rabbitmq_prometheus].\n',
  };
  const cookie = join(home, '.erlang.cookie');
  if (!existsSync(cookie)) files[cookie] = randomBytes(24).toString('hex').toUpperCase();
  for (const [file, text] of Object.entries(files)) {
    // Erlang refuses a cookie readable by others; the config holds the default password.
    writeFileSync(file, text, { mode: 0o600 });
    chownToUser(file, 'rabbitmq');
  }
}

/** Runs one of Debian's RabbitMQ scripts as the rabbitmq user, with our node's HOME and environment. */
const asRabbitmq = (script: string, args: string[]) =>
  runCommand('env', [`HOME=${home}`, join(scriptsDir, script), ...args], {
    user: 'rabbitmq',
    env: nodeEnv,
    cwd: home,
    timeoutMs: 60_000,
  });

/**
 * rabbitmqctl against our node (e.g. `['list_connections', 'pid', 'client_properties']`), for tests that
 * act on the broker the way an operator would; resolves to its stdout.
 */
export const rabbitmqctl = (args: string[]) => asRabbitmq('rabbitmqctl', ['-n', nodeName, ...args]);

export function rabbitmq(): Component {
  const node = launchedComponent({
    name: 'rabbitmq',
    ports: [ports.rabbitmqAmqp, ports.rabbitmqPrometheus, ports.rabbitmqDist, ports.rabbitmqEpmd],
    url: `http://${host}:${ports.rabbitmqPrometheus}/metrics`,
    command: 'env',
    args: [`HOME=${home}`, join(scriptsDir, 'rabbitmq-server')],
    options: { user: 'rabbitmq', env: nodeEnv, cwd: home },
    async prepare() {
      writeNodeFiles();
      // Our own epmd, bound to loopback, so the node registers there and `down` can stop it by pid.
      if (livePid(epmdName) === undefined) {
        launch(epmdName, 'epmd', ['-port', `${ports.rabbitmqEpmd}`, '-address', host]);
        for (let tries = 0; tries < 40 && !(await portOpen(ports.rabbitmqEpmd)); tries++) await sleep(50);
      }
    },
    async probe() {
      if (!(await portOpen(ports.rabbitmqAmqp))) return { ok: false, detail: `AMQP port ${ports.rabbitmqAmqp} closed` };
      const metrics = await probeHttp(`http://${host}:${ports.rabbitmqPrometheus}/metrics`, 2_000);
      if (metrics?.status !== 200)
        return { ok: false, detail: `metrics endpoint: ${metrics?.status ?? 'unreachable'}` };
      return { ok: true, detail: `AMQP on ${ports.rabbitmqAmqp}, metrics on ${ports.rabbitmqPrometheus}` };
    },
  });
  return {
    ...node,
    // pid() is the runuser wrapper; the Erlang VM below it is what a crash (or a chaos kill) takes down.
    async serverPid() {
      const wrapper = livePid('rabbitmq');
      return wrapper === undefined ? undefined : descendantNamed(wrapper, 'beam.smp');
    },
    async stop() {
      if (livePid('rabbitmq') !== undefined) {
        // A clean stop flushes the message store; the signal in node.stop() is only the fallback.
        await asRabbitmq('rabbitmqctl', ['-n', nodeName, 'stop']).catch(() => {});
        // The VM halts on its own shortly after; signalling it early would only race that halt.
        for (let tries = 0; tries < 100 && livePid('rabbitmq') !== undefined; tries++) await sleep(100);
        await node.stop();
      }
      await terminate(epmdName);
      // An epmd the node spawned itself (when ours was not up yet) is not in our pid files.
      if (await portOpen(ports.rabbitmqEpmd))
        await runCommand('epmd', ['-port', `${ports.rabbitmqEpmd}`, '-kill']).catch(() => {});
    },
  };
}
