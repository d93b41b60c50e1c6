/**
 * The chaos runner's fault signal, through the real collector and Prometheus the component tests run:
 * what the runner announces (phase, faults, heartbeat, then the judged outcome) is pushed as OTLP
 * metrics and is queryable in Prometheus seconds later; and the region annotations it posts to Grafana.
 * Grafana runs in docker mode only, so here a small HTTP server stands in for its annotation API and
 * records what it is sent (the shape Grafana documents: time, timeEnd, tags, text, with authentication).
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AppliedFault } from '../src/runner/fault-injector';
import { FaultSignal, type RunOutcome } from '../src/runner/fault-signal';
import { prometheusUrl } from '../src/runner/prometheus-client';

const body = (request: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let text = '';
    request.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    request.on('end', () => resolve(text));
  });

/** The series `expr` selects in Prometheus, once `ready` accepts them (up to 45 s: export, batch, scrape). */
async function series(expr: string, ready: (found: Record<string, string>[]) => boolean) {
  const deadline = Date.now() + 45_000;
  let found: (Record<string, string> & { value: string })[] = [];
  while (Date.now() < deadline) {
    const response = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
    const answer = (await response.json()) as {
      data: { result: { metric: Record<string, string>; value: [number, string] }[] };
    };
    found = answer.data.result.map(({ metric, value }) => ({ ...metric, value: value[1] }));
    if (ready(found)) return found;
    await sleep(1_000);
  }
  assert.fail(`${expr}: never what was expected; last ${JSON.stringify(found)}`);
}

test('what the runner announces reaches Prometheus through the collector: phase, faults, a fresh heartbeat, then the outcome', {
  timeout: 180_000,
}, async () => {
  const scenario = `signal-test-${Date.now()}`;
  const run = `${scenario}_run`;
  const signal = new FaultSignal(scenario);
  const fault: AppliedFault = {
    id: 'latency@orders-postgres',
    kind: 'latency',
    target: 'orders-postgres',
    detail: 'latency latency=150',
    start: Date.now(),
    rollback: async () => {},
  };
  try {
    await signal.start();
    signal.enterPhase('fault');
    signal.faultChanged(fault);
    const phases = await series(`chaos_phase{scenario="${scenario}"} == 1`, (found) => found.length > 0);
    assert.deepEqual(
      phases.map(({ phase, job }) => ({ phase, job })),
      [{ phase: 'fault', job: 'chaos-runner' }],
      'one current phase, filed under the runner',
    );
    const active = await series(`chaos_fault_active{scenario="${scenario}"}`, (found) => found.length > 0);
    assert.equal(active[0]?.fault, 'latency@orders-postgres');
    assert.equal(active[0]?.value, '1');
    const beat = await series(
      `time() - chaos_runner_heartbeat_timestamp_seconds{scenario="${scenario}"}`,
      (found) => found.length > 0,
    );
    assert.ok(Number(beat[0]?.value) < 30, `a fresh heartbeat (${beat[0]?.value} s old)`);

    fault.end = Date.now();
    signal.faultChanged(fault);
    signal.enterPhase('judging');
    await series(`chaos_fault_active{scenario="${scenario}"} == 0`, (found) => found.length > 0);
    const outcome: RunOutcome = {
      verdict: { ok: true, reasons: [] },
      endedAt: new Date().toISOString(),
      timeToRecoverS: 12.5,
      audit: { ok: true },
      k6: { exitCode: 0, failedRate: 0.02, p95Ms: 412, acceptedOrders: 321 },
    };
    await signal.finish(outcome, `/somewhere/reports/${run}`);
  } finally {
    await signal.finish();
  }
  const figures = await series(`{__name__=~"chaos_run_.+", run="${run}"}`, (found) => found.length >= 7);
  const byName = Object.fromEntries(figures.map((found) => [found.__name__, found]));
  assert.equal(byName.chaos_run_verdict?.verdict, 'PASS');
  assert.equal(byName.chaos_run_audit_clean?.value, '1');
  assert.equal(byName.chaos_run_failed_requests_ratio?.value, '0.02');
  assert.equal(byName.chaos_run_p95_latency_seconds?.value, '0.412');
  assert.equal(byName.chaos_run_recovery_seconds?.value, '12.5');
  assert.equal(byName.chaos_run_accepted_orders?.value, '321');
  const current = await series(`chaos_phase{scenario="${scenario}"} == 1`, (found) => found.length === 0);
  assert.deepEqual(current, [], 'a finished run has no current phase');
});

test('each finished fault is posted to Grafana as a region, with the configured authentication', async () => {
  const posted: { auth?: string; body: Record<string, unknown> }[] = [];
  const grafana = createServer(async (request, response) => {
    if (request.url === '/api/health') return response.end('{"database":"ok"}');
    posted.push({ auth: request.headers.authorization, body: JSON.parse(await body(request)) });
    response.end('{"id":1}');
  });
  await new Promise<void>((resolve) => grafana.listen(0, '127.0.0.1', resolve));
  process.env.GRAFANA_URL = `http://127.0.0.1:${(grafana.address() as AddressInfo).port}`;
  process.env.GRAFANA_TOKEN = 'service-account-token';
  let signal: FaultSignal | undefined;
  try {
    signal = new FaultSignal('db-latency');
    await signal.start();
    const fault: AppliedFault = {
      id: 'latency@orders-postgres',
      kind: 'latency',
      target: 'orders-postgres',
      detail: 'latency latency=150',
      start: Date.now() - 5_000,
      rollback: async () => {},
    };
    signal.faultChanged(fault);
    fault.end = Date.now();
    signal.faultChanged(fault);
  } finally {
    await signal?.finish();
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
