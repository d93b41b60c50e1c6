/**
 * Prometheus for the local stack. The scrape config is the repository's `prometheus/prometheus.yml`,
 * shared with docker mode; this component copies it and the rules into the state folder and writes the
 * file_sd target files beside them from the port plan, so the checked-in config never names a port.
 */
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Component } from '../component';
import { dataDir, repoRoot, stateDir } from '../paths';
import { host, ports } from '../ports';
import { probeHttp } from '../process';
import { launchedComponent } from './launched-component';
import { runCommand } from './system-command';

const sourceDir = join(repoRoot, 'prometheus');
const configDir = join(stateDir, 'prometheus');
const configFile = join(configDir, 'prometheus.yml');
const baseUrl = `http://${host}:${ports.prometheus}`;

interface TargetGroup {
  targets: string[];
  labels?: Record<string, string>;
}

const at = (port: number, labels?: Record<string, string>): TargetGroup => ({
  targets: [`${host}:${port}`],
  ...(labels ? { labels } : {}),
});

/** One file_sd file per job in prometheus.yml; docker mode ships the same names with its own hosts. */
export function localTargets(): Record<string, TargetGroup[]> {
  return {
    prometheus: [at(ports.prometheus)],
    'otel-collector': [at(ports.collectorPrometheus)],
    'otel-collector-self': [at(ports.collectorTelemetry)],
    rabbitmq: [at(ports.rabbitmqPrometheus)],
    postgres: [
      at(ports.postgresExporterPrimary, { role: 'primary' }),
      at(ports.postgresExporterReplica, { role: 'replica' }),
    ],
    redis: [at(ports.redisExporter)],
    toxiproxy: [at(ports.toxiproxyApi)],
    'stack-supervisor': [at(ports.supervisor)],
  };
}

/** Refreshes the running copy: config, rules (stale ones removed) and target files; then validates it. */
async function writeRunningCopy(): Promise<void> {
  rmSync(join(configDir, 'rules'), { recursive: true, force: true });
  mkdirSync(join(configDir, 'targets'), { recursive: true });
  cpSync(join(sourceDir, 'prometheus.yml'), configFile);
  cpSync(join(sourceDir, 'rules'), join(configDir, 'rules'), { recursive: true });
  for (const [job, groups] of Object.entries(localTargets())) {
    writeFileSync(join(configDir, 'targets', `${job}.json`), `${JSON.stringify(groups, null, 2)}\n`);
  }
  await runCommand('promtool', ['check', 'config', configFile], { timeoutMs: 30_000 });
}

export const prometheus = (): Component =>
  launchedComponent({
    name: 'prometheus',
    ports: [ports.prometheus],
    url: baseUrl,
    command: 'prometheus',
    args: [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dataDir, 'prometheus')}`,
      `--storage.tsdb.retention.time=2d`,
      `--web.listen-address=${host}:${ports.prometheus}`,
      '--web.enable-remote-write-receiver',
      '--web.enable-lifecycle',
      '--enable-feature=exemplar-storage',
    ],
    prepare: writeRunningCopy,
    // Already running: pick up edited rules or targets without losing the in-memory head.
    async refresh() {
      await writeRunningCopy();
      await fetch(`${baseUrl}/-/reload`, { method: 'POST', signal: AbortSignal.timeout(5_000) }).catch(() => {});
    },
    async probe() {
      const ready = await probeHttp(`${baseUrl}/-/ready`);
      return ready?.status === 200
        ? { ok: true, detail: 'ready' }
        : { ok: false, detail: `/-/ready: ${ready?.status ?? 'unreachable'}` };
    },
  });
