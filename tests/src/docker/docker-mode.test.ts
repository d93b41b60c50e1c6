/**
 * Docker mode on a real engine (issue 13): the project's own dockerd (deploy's startDockerEngine), the
 * images built from ./Dockerfile on a Debian base made here, `docker compose up -d --wait` of the whole
 * stack but Grafana and Tempo (deploy/docker/compose.engine-test.yml), then what a user would check:
 * every container healthy, the API contract, one order traced end to end through the collector, every
 * Prometheus target up, the same versions as local mode, two chaos scenarios in docker mode (a
 * container killed through the docker process driver; a Toxiproxy toxic) with the auditor clean and
 * every container's memory under its limit, and `down -v` leaving nothing of ours behind.
 *
 * Runs after the local-stack tests (`npm run test:docker`, last in `npm test`): docker mode publishes
 * the local stack's ports on loopback, so the local stack must be down. Images, build layers and the
 * base stay in the engine's data root in the tool cache, so only the first run builds everything.
 */
import assert from 'node:assert/strict';
import { chownSync, copyFileSync, linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { spansOfTrace } from '@confeitaria/chaos/traces/trace-file';
import { type DockerEngine, ensureBaseImage, startDockerEngine } from '@confeitaria/deploy/engine';
import { traceFile } from '@confeitaria/stack/components/collector';
import { repoRoot } from '@confeitaria/stack/paths';
import { down, status } from '@confeitaria/stack/stack';
import { ensureTools, toolPins } from '@confeitaria/stack/tools';
import { assertPanelFollowed, phasesSeen } from '../support/demo-state';
import { prometheusUrl, promQuery } from '../support/endpoints';
import { newCustomer, newProduct, placeOrder, settled } from '../support/shop';
import { waitFor } from '../support/wait';
import { compose, composeFiles, containers, run } from './compose-cli';
import { type MemoryPeak, sampleMemory } from './memory-sampler';

const project = 'confeitaria';
/** Containers the test starts (everything in docker-compose.yml but Grafana, Tempo and the profiles). */
const expected = [
  'gateway',
  'identity',
  'catalog-1',
  'catalog-2',
  'cart',
  'orders',
  'payments',
  'notifications',
  'postgres-primary',
  'postgres-replica',
  'redis',
  'rabbitmq',
  'toxiproxy',
  'otel-collector',
  'prometheus',
  'postgres-exporter-primary',
  'postgres-exporter-replica',
  'redis-exporter',
];

let engine: DockerEngine;
let env: NodeJS.ProcessEnv;
const timings: Record<string, number> = {};
const timed = async <T>(label: string, work: () => Promise<T>): Promise<T> => {
  const started = Date.now();
  try {
    return await work();
  } finally {
    timings[label] = Math.round((Date.now() - started) / 1000);
    console.log(`  ${label}: ${timings[label]} s`);
  }
};

/** Local mode's binaries of the pinned tools, handed to the build (Dockerfile ARG TOOLS=prebuilt). */
async function stagePrebuiltTools(): Promise<void> {
  const tools = await ensureTools(['k6', 'toxiproxy-server', 'toxiproxy-cli', 'otelcol', 'docker-compose']);
  const stage = join(repoRoot, '.docker-tools');
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage);
  for (const path of Object.values(tools)) {
    if (!path) continue;
    const target = join(stage, path.split('/').at(-1) ?? '');
    try {
      linkSync(path, target);
    } catch {
      copyFileSync(path, target);
    }
  }
}

before(
  async () => {
    const local = await status();
    if (local.some((row) => row.health.startsWith('ok'))) {
      console.log('  stopping the local stack: docker mode publishes the same loopback ports');
      await down();
    }
    engine = await timed('engine start', startDockerEngine);
    const base = await timed('base image', () => ensureBaseImage(engine.env));
    await timed('tools', stagePrebuiltTools);
    const traces = dirname(traceFile);
    rmSync(traces, { recursive: true, force: true });
    mkdirSync(traces, { recursive: true });
    chownSync(traces, 10001, 10001); // the collector's user in its image
    env = {
      ...engine.env,
      COMPOSE_FILE: composeFiles.join(':'),
      COMPOSE_PROJECT_NAME: project,
      DEBIAN_IMAGE: base,
      TOOLS: 'prebuilt',
      CONFEITARIA_TRACE_DIR: traces,
    };
    await compose(['down', '--volumes', '--remove-orphans'], { env, timeoutMs: 180_000 });
    await timed('build', () => compose(['build'], { env, stream: true, timeoutMs: 45 * 60_000 }));
    await timed('up --wait', () =>
      compose(['up', '--detach', '--wait', '--wait-timeout', '300'], { env, stream: true, timeoutMs: 360_000 }),
    );
  },
  { timeout: 60 * 60_000 },
);

after(
  async () => {
    if (env && process.env.KEEP_STACK !== 'true') {
      await compose(['down', '--volumes', '--remove-orphans'], { env, timeoutMs: 180_000 }).catch((error) =>
        console.error(String(error)),
      );
    }
    if (process.env.KEEP_STACK !== 'true') await engine?.stop();
    console.log(`docker mode wall times (s): ${JSON.stringify(timings)}`);
  },
  { timeout: 300_000 },
);

describe('docker mode on a real engine', { concurrency: false }, () => {
  test('every container of the stack is running and healthy', async () => {
    const running = await containers(env);
    assert.deepEqual(running.map((each) => each.Service).sort(), [...expected].sort());
    for (const each of running) {
      assert.equal(each.State, 'running', each.Service);
      assert.ok(['healthy'].includes(each.Health), `${each.Service}: ${each.Health || 'no healthcheck'}`);
    }
  });

  test('the API contract holds through the gateway on its published loopback port', { timeout: 300_000 }, async () => {
    const contract = join(repoRoot, 'tests', 'dist', 'src', 'api-contract.test.js');
    // The local-mode contract suite, unchanged: it reaches the shop only through the gateway's port.
    // Without NODE_TEST_CONTEXT: a test runner's child would report to this runner instead of printing.
    const { NODE_TEST_CONTEXT: _, ...plain } = process.env;
    const output = await run(process.execPath, ['--test', '--test-reporter=tap', contract], {
      env: plain,
      timeoutMs: 280_000,
    });
    const count = (name: string) => Number(output.match(new RegExp(`^# ${name} (\\d+)$`, 'm'))?.[1] ?? Number.NaN);
    assert.equal(count('fail'), 0);
    assert.ok(count('pass') >= 10, `contract tests passed: ${count('pass')}`);
  });

  test('one order is confirmed and traced end to end through the collector', { timeout: 120_000 }, async () => {
    const [user, product] = await Promise.all([newCustomer(), newProduct(5, 990)]);
    const {
      status: accepted,
      body,
      headers,
    } = await placeOrder(user, {
      items: [{ productId: product.id, quantity: 1 }],
    });
    assert.equal(accepted, 202);
    assert.equal((await settled(user, body.id)).status, 'CONFIRMED');
    const traceId = (headers.get('traceparent') ?? '').split('-')[1] ?? '';
    const spans = await waitFor(
      'the order trace from every service of the saga',
      async () => {
        const found = await spansOfTrace(traceId);
        const services = new Set(found.map((span) => span.service));
        return ['gateway', 'orders', 'catalog', 'payments', 'notifications', 'cart'].every((s) => services.has(s))
          ? found
          : undefined;
      },
      60_000,
    );
    assert.ok(spans.every((span) => span.traceId === traceId));
  });

  test('every Prometheus target is up (scraped inside the compose network)', { timeout: 120_000 }, async () => {
    const down = await waitFor(
      'every target up',
      async () => {
        const response = await fetch(`${prometheusUrl}/api/v1/targets?state=active`);
        const { data } = (await response.json()) as {
          data: { activeTargets: { labels: Record<string, string>; health: string; lastError: string }[] };
        };
        const targets = data.activeTargets;
        const notUp = targets.filter((target) => target.health !== 'up');
        return targets.length >= 8 && notUp.length === 0 ? notUp : undefined;
      },
      90_000,
    ).catch(async (error) => {
      const response = await fetch(`${prometheusUrl}/api/v1/targets?state=active`);
      throw new Error(`${error}\n${await response.text()}`);
    });
    assert.deepEqual(down, []);
    // Services too: the collector scrapes each instance and Prometheus scrapes the collector.
    const jobs = (await promQuery('count by (job) (process_cpu_seconds_total)')).map((each) => each.metric.job);
    for (const service of ['gateway', 'identity', 'catalog', 'cart', 'orders', 'payments', 'notifications'])
      assert.ok(jobs.includes(service), `${service} metrics in Prometheus (jobs: ${jobs.join(', ')})`);
  });

  test('the containers run the versions local mode runs', { timeout: 120_000 }, async () => {
    const packages: [string, string][] = [
      ['postgres-primary', 'postgresql-15'],
      ['postgres-primary', 'postgresql-client-15'],
      ['redis', 'redis-server'],
      ['rabbitmq', 'rabbitmq-server'],
      ['prometheus', 'prometheus'],
      ['postgres-exporter-primary', 'prometheus-postgres-exporter'],
      ['redis-exporter', 'prometheus-redis-exporter'],
    ];
    const listed = readFileSync(join(repoRoot, 'stack', 'debian-packages.txt'), 'utf8');
    const drift: string[] = [];
    for (const [service, name] of packages) {
      assert.match(listed, new RegExp(`^${name}$`, 'm'), `${name} is a local-mode package`);
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a dpkg-query format, not a template
      const query = ['dpkg-query', '-W', '-f=${Version}', name];
      const [host, container] = await Promise.all([
        run(query[0] as string, query.slice(1), { env: process.env }),
        compose(['exec', '-T', service, ...query], { env }),
      ]);
      if (host.trim() !== container.trim()) drift.push(`${name}: local ${host.trim()}, docker ${container.trim()}`);
    }
    const node = (await compose(['exec', '-T', 'gateway', 'node', '--version'], { env })).trim();
    if (node !== process.version) drift.push(`node: local ${process.version}, docker ${node}`);
    const toxiproxy = await compose(['exec', '-T', 'toxiproxy', 'toxiproxy-server', '--version'], { env });
    if (!toxiproxy.includes(toolPins['toxiproxy-server'].version.replace(/^v/, '')))
      drift.push(`toxiproxy: pinned ${toolPins['toxiproxy-server'].version}, docker ${toxiproxy.trim()}`);
    const collector = await compose(['exec', '-T', 'otel-collector', 'otelcol-confeitaria', '--version'], { env });
    if (!collector.includes(toolPins.otelcol.version.replace(/^v/, '')))
      drift.push(`collector: pinned ${toolPins.otelcol.version}, docker ${collector.trim()}`);
    assert.deepEqual(drift, [], 'rebuild the images (`docker compose build --no-cache`) or update the machine');
  });

  test('a chaos scenario in docker mode (a container killed, Toxiproxy toxics) holds, every container under its memory limit', {
    timeout: 900_000,
  }, async () => {
    const sampler = sampleMemory(env, project);
    let peaks: MemoryPeak[] = [];
    try {
      // game-day, seed 3: notifications killed through the docker process driver, latency on the
      // orders database link and sliced packets on the replica link, all under the journey load.
      const out = mkdtempSync(join(tmpdir(), 'docker-game-day-'));
      const { value: output, phases } = await phasesSeen('game-day', () =>
        run(
          process.execPath,
          [
            join(repoRoot, 'chaos', 'dist', 'src', 'cli.js'),
            'scenario',
            'game-day',
            '--seed',
            '3',
            '--duration',
            '100',
            '--out',
            out,
          ],
          { env: { ...env, CONFEITARIA_MODE: 'docker' }, stream: true, timeoutMs: 840_000 },
        ),
      );
      assert.match(output, /kill notifications/);
      assert.match(output, /latency \{.*\} on orders-postgres/);
      assert.match(output, /hypothesis held: game-day/);
      // The storefront's demo panel followed the run from the host (the runner pushes to the collector's
      // published OTLP port) and shows its verdict once judged.
      await assertPanelFollowed(phases, basename(out));
    } finally {
      peaks = await sampler.stop();
    }
    console.log('  memory peaks under the journey load (MiB, peak / limit):');
    for (const peak of peaks) {
      console.log(
        `    ${peak.container.padEnd(26)} ${peak.peakMiB.toFixed(1).padStart(7)} / ${peak.limitMiB.toFixed(0).padStart(4)}  ${Math.round((100 * peak.peakMiB) / peak.limitMiB)} %`,
      );
    }
    assert.deepEqual(
      expected.filter((name) => !peaks.some((peak) => peak.container === name)),
      [],
      'every container sampled',
    );
    const tight = peaks.filter((peak) => peak.peakMiB >= 0.9 * peak.limitMiB);
    assert.deepEqual(
      tight.map((peak) => `${peak.container} ${peak.peakMiB.toFixed(0)}/${peak.limitMiB.toFixed(0)} MiB`),
      [],
      'no container within 10 % of its memory limit',
    );
  });

  test('docker compose down -v leaves no container, network or volume of the project', {
    timeout: 240_000,
  }, async () => {
    await compose(['down', '--volumes', '--remove-orphans'], { env, timeoutMs: 180_000 });
    const label = `label=com.docker.compose.project=${project}`;
    const left = await Promise.all([
      run('docker', ['ps', '--all', '--quiet', '--filter', label], { env }),
      run('docker', ['network', 'ls', '--quiet', '--filter', label], { env }),
      run('docker', ['volume', 'ls', '--quiet', '--filter', label], { env }),
    ]);
    assert.deepEqual(
      left.map((text) => text.trim()),
      ['', '', ''],
    );
  });
});
