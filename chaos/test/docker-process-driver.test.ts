/**
 * The docker process driver, tested without Docker: an injected exec records the exact argv the driver
 * would run and answers `docker compose ps` the way compose does. Whether those commands do the right
 * thing to real containers is not proved here (no Docker engine on this machine).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  dockerProcessDriver,
  type Exec,
  parseComposePs,
  parseInspectIdentities,
} from '../src/runner/docker-process-driver';

/** A fake CLI: records calls; `ps` answers from a scripted sequence of states (last one repeats). */
function fakeCli(states: { State: string; Health: string }[]) {
  const calls: string[][] = [];
  let polls = 0;
  const exec: Exec = async (file, args) => {
    calls.push([file, ...args]);
    if (!args.includes('ps')) return '';
    const service = args.at(-1) ?? '';
    const current = states[Math.min(polls++, states.length - 1)];
    return current ? `${JSON.stringify({ Service: service, Name: `confeitaria-${service}-1`, ...current })}\n` : '';
  };
  return { exec, calls };
}
const base = ['docker', 'compose', '-f', '/repo/docker-compose.yml', '-p', 'confeitaria'];
const options = { project: 'confeitaria', composeFile: '/repo/docker-compose.yml', pollMs: 1, healthTimeoutMs: 200 };
const ps = (name: string) => [...base, 'ps', '--all', '--format', 'json', name];

describe('docker process driver', () => {
  it('offers the same process names as the local stack, in docker mode', () => {
    const driver = dockerProcessDriver(options);
    assert.equal(driver.mode, 'docker');
    assert.ok(driver.names().includes('catalog-2') && driver.names().includes('payments'));
    assert.ok(driver.names().includes('postgres-primary') && driver.names().includes('rabbitmq'), 'datastores too');
  });

  it('crashes a service without the Docker API (which would count as a manual stop): SIGKILL to all but its init', async () => {
    const cli = fakeCli([
      { State: 'running', Health: 'healthy' },
      { State: 'restarting', Health: '' },
    ]);
    await dockerProcessDriver({ ...options, exec: cli.exec }).crash('payments');
    assert.deepEqual(cli.calls, [
      [...base, 'exec', '-T', 'payments', 'sh', '-c', 'kill -s KILL -1'],
      ps('payments'),
      ps('payments'),
    ]);
    await assert.rejects(dockerProcessDriver({ ...options, exec: cli.exec }).crash('redis'), /use kill/);
  });

  it('identifies each running container by its start time, so a restart shows as a change', () => {
    assert.deepEqual(
      parseInspectIdentities('payments true 2026-12-02T04:00:00.1Z\nredis false 0001-01-01T00:00:00Z\n'),
      { payments: '2026-12-02T04:00:00.1Z', redis: undefined },
    );
  });

  it('kills with SIGKILL through compose, then waits until the container has exited', async () => {
    const cli = fakeCli([
      { State: 'running', Health: 'healthy' },
      { State: 'exited', Health: '' },
    ]);
    await dockerProcessDriver({ ...options, exec: cli.exec }).kill('payments');
    assert.deepEqual(cli.calls, [[...base, 'kill', '-s', 'SIGKILL', 'payments'], ps('payments'), ps('payments')]);
  });

  it('stops gracefully, pauses and resumes with compose stop, pause and unpause', async () => {
    const cli = fakeCli([{ State: 'exited', Health: '' }]);
    const driver = dockerProcessDriver({ ...options, exec: cli.exec });
    await driver.stop('orders');
    await driver.pause('catalog-1');
    await driver.resume('catalog-1');
    assert.deepEqual(cli.calls, [
      [...base, 'stop', 'orders'],
      ps('orders'),
      [...base, 'pause', 'catalog-1'],
      [...base, 'unpause', 'catalog-1'],
    ]);
  });

  it('starts a stopped service and resolves only once its healthcheck passes', async () => {
    const cli = fakeCli([
      { State: 'exited', Health: '' },
      { State: 'running', Health: 'starting' },
      { State: 'running', Health: 'healthy' },
    ]);
    await dockerProcessDriver({ ...options, exec: cli.exec }).start('gateway');
    assert.deepEqual(cli.calls, [ps('gateway'), [...base, 'start', 'gateway'], ps('gateway'), ps('gateway')]);
  });

  it('unpauses a paused service instead of starting it, and does nothing to a running one', async () => {
    const paused = fakeCli([
      { State: 'paused', Health: 'healthy' },
      { State: 'running', Health: 'healthy' },
    ]);
    await dockerProcessDriver({ ...options, exec: paused.exec }).start('cart');
    assert.deepEqual(paused.calls[1], [...base, 'unpause', 'cart']);
    const running = fakeCli([{ State: 'running', Health: 'healthy' }]);
    await dockerProcessDriver({ ...options, exec: running.exec }).start('cart');
    assert.deepEqual(running.calls, [ps('cart'), ps('cart')]);
  });

  it('fails start() when the service never turns healthy', async () => {
    const cli = fakeCli([{ State: 'running', Health: 'unhealthy' }]);
    await assert.rejects(dockerProcessDriver({ ...options, exec: cli.exec }).start('identity'), /not healthy/);
  });

  it('reports running only for a running container (paused and exited are not)', async () => {
    for (const [State, expected] of [
      ['running', true],
      ['paused', false],
      ['exited', false],
    ] as const) {
      const cli = fakeCli([{ State, Health: '' }]);
      assert.equal(await dockerProcessDriver({ ...options, exec: cli.exec }).running('notifications'), expected);
    }
  });

  it('leaves -f and -p to compose when not given, and refuses unknown names before running anything', async () => {
    const cli = fakeCli([{ State: 'running', Health: '' }]);
    const driver = dockerProcessDriver({ exec: cli.exec });
    await driver.pause('payments');
    assert.deepEqual(cli.calls, [['docker', 'compose', 'pause', 'payments']]);
    await assert.rejects(driver.kill('prometheus'), /no service named prometheus/);
    assert.equal(cli.calls.length, 1);
  });

  it('reads both ps formats: a JSON array (older compose) and JSON lines (newer)', () => {
    const one = { Service: 'cart', State: 'running', Health: 'healthy' };
    assert.deepEqual(parseComposePs(JSON.stringify([one])), [one]);
    assert.deepEqual(parseComposePs(`${JSON.stringify(one)}\n${JSON.stringify({ ...one, Service: 'orders' })}\n`), [
      one,
      { ...one, Service: 'orders' },
    ]);
    assert.deepEqual(parseComposePs(''), []);
  });

  it('names every process a run needs that is not running and healthy, and ignores one-shot containers', async () => {
    const driver = dockerProcessDriver({
      ...options,
      exec: async () =>
        [
          ...driver.names().map((name) => ({ Service: name, State: 'running', Health: 'healthy' })),
          { Service: 'toxiproxy', State: 'running', Health: '' },
          { Service: 'otel-collector', State: 'running', Health: '' },
          { Service: 'k6', State: 'exited', Health: '' },
        ]
          .map((container) => (container.Service === 'catalog-1' ? { ...container, Health: 'starting' } : container))
          .map((container) => JSON.stringify(container))
          .join('\n'),
    });
    assert.deepEqual(await driver.notReady(), ['catalog-1: running, starting', 'prometheus: no container']);
  });
});
