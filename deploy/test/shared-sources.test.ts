/**
 * Local mode and docker mode share one source for the proxies, the collector's base config, the
 * Prometheus config and rules, and the Grafana provisioning and dashboards: compose mounts those files
 * as they are, and what docker mode derives from them is generated and must be up to date.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { serviceDatabases } from '@confeitaria/stack/components/postgres';
import { localTargets } from '@confeitaria/stack/components/prometheus';
import { repoRoot } from '@confeitaria/stack/paths';
import { toolPath } from '@confeitaria/stack/tools';
import { parse } from 'yaml';
import { bindMounts, readCompose } from '../src/compose-file';
import { dockerPrometheusTargets } from '../src/docker-topology';
import { staleFiles } from '../src/generate';

const run = promisify(execFile);
const compose = readCompose();
const mounts = (service: string) => bindMounts(compose.services[service] ?? {});
const mountOf = (service: string, source: string) => mounts(service).find((mount) => mount.source === source);

describe('one source for local and docker mode', () => {
  it('the generated docker files are up to date with chaos/proxies.json and the port plan', () => {
    assert.deepEqual(staleFiles(), [], 'run: npm run generate -w deploy');
  });

  it('Toxiproxy loads the proxy list generated from chaos/proxies.json', () => {
    assert.ok(mountOf('toxiproxy', 'deploy/docker/generated/toxiproxy.json'));
    const declared = JSON.parse(readFileSync(join(repoRoot, 'chaos', 'proxies.json'), 'utf8')).proxies;
    const generated = JSON.parse(readFileSync(join(repoRoot, 'deploy/docker/generated/toxiproxy.json'), 'utf8'));
    assert.deepEqual(
      generated.map((proxy: { name: string; listen: string }) => `${proxy.name}@${proxy.listen.split(':')[1]}`),
      declared.map((proxy: { name: string; listen: number }) => `${proxy.name}@${proxy.listen}`),
    );
  });

  it('the collector runs the base config plus the docker overlay, mounted from otel/', () => {
    const collector = compose.services['otel-collector'];
    assert.equal(mountOf('otel-collector', 'otel/collector-base.yaml')?.target, '/etc/otelcol/collector-base.yaml');
    assert.equal(mountOf('otel-collector', 'otel/collector-docker.yaml')?.target, '/etc/otelcol/collector-docker.yaml');
    assert.deepEqual(collector?.command, [
      '--config=/etc/otelcol/collector-base.yaml',
      '--config=/etc/otelcol/collector-docker.yaml',
    ]);
    assert.equal(collector?.environment?.OTELCOL_BIND_HOST, '0.0.0.0');
    const targets = mountOf('otel-collector', 'deploy/docker/generated/collector-service-targets.json');
    assert.equal(collector?.environment?.OTELCOL_SCRAPE_TARGETS, targets?.target);
  });

  it('Prometheus runs prometheus/prometheus.yml and prometheus/rules, with targets for the same jobs', () => {
    assert.equal(mountOf('prometheus', 'prometheus/prometheus.yml')?.target, '/etc/prometheus/prometheus.yml');
    assert.equal(mountOf('prometheus', 'prometheus/rules')?.target, '/etc/prometheus/rules');
    assert.equal(
      mountOf('prometheus', 'deploy/docker/generated/prometheus-targets')?.target,
      '/etc/prometheus/targets',
    );
    const config = parse(readFileSync(join(repoRoot, 'prometheus', 'prometheus.yml'), 'utf8'));
    const jobs = config.scrape_configs.map((job: { job_name: string }) => job.job_name).sort();
    assert.deepEqual(Object.keys(dockerPrometheusTargets()).sort(), jobs);
    assert.deepEqual(Object.keys(localTargets()).sort(), jobs);
    const labels = (groups: { labels?: unknown }[]) => groups.map((group) => group.labels ?? null);
    assert.deepEqual(labels(dockerPrometheusTargets().postgres ?? []), labels(localTargets().postgres ?? []));
    assert.ok(compose.services.prometheus?.command?.includes('--web.enable-remote-write-receiver'));
  });

  it('Grafana mounts grafana/provisioning and grafana/dashboards where the provisioning expects them', () => {
    assert.equal(mountOf('grafana', 'grafana/provisioning')?.target, '/etc/grafana/provisioning');
    const provider = parse(readFileSync(join(repoRoot, 'grafana/provisioning/dashboards/dashboards.yaml'), 'utf8'));
    assert.equal(mountOf('grafana', 'grafana/dashboards')?.target, provider.providers[0].options.path);
    const home = compose.services.grafana?.environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH ?? '';
    assert.ok(home.startsWith(`${provider.providers[0].options.path}/`));
    assert.ok(existsSync(join(repoRoot, 'grafana/dashboards', home.split('/').pop() ?? '')), home);
    assert.equal(compose.services.grafana?.environment?.GF_AUTH_ANONYMOUS_ORG_ROLE, 'Viewer');
  });

  it('promtool accepts prometheus.yml, the rules and the docker targets laid out as in the container', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prometheus-docker-'));
    try {
      cpSync(join(repoRoot, 'prometheus', 'prometheus.yml'), join(dir, 'prometheus.yml'));
      cpSync(join(repoRoot, 'prometheus', 'rules'), join(dir, 'rules'), { recursive: true });
      cpSync(join(repoRoot, 'deploy/docker/generated/prometheus-targets'), join(dir, 'targets'), { recursive: true });
      const { stdout } = await run('promtool', ['check', 'config', join(dir, 'prometheus.yml')]);
      assert.match(stdout, /SUCCESS/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the collector accepts base + docker overlay (validated with the pinned local build of the same release)', async (t) => {
    const binary = toolPath('otelcol');
    if (!existsSync(binary)) return t.skip(`collector not built yet (${binary}); npm run stack -- up builds it`);
    const env = {
      ...process.env,
      OTELCOL_BIND_HOST: '0.0.0.0',
      OTELCOL_SCRAPE_TARGETS: join(repoRoot, 'deploy/docker/generated/collector-service-targets.json'),
    };
    const configs = ['collector-base.yaml', 'collector-docker.yaml'].flatMap((file) => [
      '--config',
      join(repoRoot, 'otel', file),
    ]);
    await run(binary, ['validate', ...configs], { env });
  });

  it('the primary creates exactly the databases local mode creates', () => {
    const script = readFileSync(join(repoRoot, 'deploy/docker/postgres/init-primary.sh'), 'utf8');
    const created = script.match(/^databases='([a-z ]+)'$/m)?.[1]?.split(' ') ?? [];
    assert.deepEqual(created.sort(), [...serviceDatabases].sort());
  });

  it("postgres-exporter's extra queries are one file, read by local mode and mounted by docker and Kubernetes", () => {
    const file = 'prometheus/exporters/postgres-queries.yaml';
    assert.match(
      readFileSync(join(repoRoot, 'stack/src/components/exporters.ts'), 'utf8'),
      /'prometheus', 'exporters', 'postgres-queries.yaml'/,
    );
    const compose = readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8');
    assert.equal(
      compose.split(`./${file}:/etc/postgres-exporter/queries.yaml:ro`).length - 1,
      2,
      'both exporters mount it',
    );
    const kustomization = readFileSync(join(repoRoot, 'deploy/k8s/base/kustomization.yaml'), 'utf8');
    assert.ok(kustomization.includes(`queries.yaml=../../../${file}`), 'the ConfigMap is generated from it');
  });
});
