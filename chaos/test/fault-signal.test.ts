/**
 * The chaos runner's fault signal: the /metrics Prometheus scrapes during a run, and the region
 * annotations it posts to Grafana. Grafana runs in docker mode only, so here a small HTTP server stands
 * in for its annotation API and records what it is sent (the shape Grafana documents: time, timeEnd,
 * tags, text, with authentication).
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { host, ports } from '@confeitaria/stack/dist/src/ports';
import type { AppliedFault } from '../src/runner/fault-injector';
import { FaultSignal } from '../src/runner/fault-signal';

const body = (request: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let text = '';
    request.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    request.on('end', () => resolve(text));
  });

test('the fault signal exports active faults and phases, and posts each finished fault to Grafana as a region', async () => {
  const posted: { auth?: string; body: Record<string, unknown> }[] = [];
  const grafana = createServer(async (request, response) => {
    if (request.url === '/api/health') return response.end('{"database":"ok"}');
    posted.push({ auth: request.headers.authorization, body: JSON.parse(await body(request)) });
    response.end('{"id":1}');
  });
  await new Promise<void>((resolve) => grafana.listen(0, '127.0.0.1', resolve));
  process.env.GRAFANA_URL = `http://127.0.0.1:${(grafana.address() as AddressInfo).port}`;
  process.env.GRAFANA_TOKEN = 'service-account-token';
  const signal = new FaultSignal('db-latency');
  try {
    await signal.start();
    const fault: AppliedFault = {
      id: 'latency@orders-postgres',
      kind: 'latency',
      target: 'orders-postgres',
      detail: 'latency latency=150',
      start: Date.now() - 5_000,
      rollback: async () => {},
    };
    signal.enterPhase('fault');
    signal.faultChanged(fault);
    const metrics = async () => (await fetch(`http://${host}:${ports.chaosRunner}/metrics`)).text();
    const during = await metrics();
    assert.match(
      during,
      /chaos_fault_active\{scenario="db-latency",fault="latency@orders-postgres",kind="latency",target="orders-postgres"\} 1/,
    );
    assert.match(during, /chaos_phase\{scenario="db-latency",phase="fault"\} 1/);
    fault.end = Date.now();
    signal.faultChanged(fault);
    assert.match(await metrics(), /chaos_fault_active\{[^}]*\} 0/);
  } finally {
    await signal.stop(0);
    grafana.close();
    delete process.env.GRAFANA_URL;
    delete process.env.GRAFANA_TOKEN;
  }
  assert.equal(posted.length, 1);
  assert.equal(posted[0]?.auth, 'Bearer service-account-token');
  const annotation = posted[0]?.body ?? {};
  assert.deepEqual(annotation.tags, ['chaos', 'db-latency', 'latency']);
  assert.ok(Number(annotation.timeEnd) > Number(annotation.time), 'a region: time to timeEnd');
  assert.match(String(annotation.text), /latency@orders-postgres/);
});
