import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FaultWindow, K6Outcome, PhaseWindow } from '../src/run-result';
import {
  edgeSpans,
  listenerAddress,
  pidAlive,
  proveDisabled,
  proveProcessFault,
  proveToxic,
} from '../src/runner/fault-proof';
import { GeneratorCpuWatch, generatorCpuByPhase, ThreadTotals } from '../src/runner/generator-cpu';
import {
  clockCheck,
  collectorCheck,
  faultsCheck,
  generatorCheck,
  invalidReason,
  loadCheck,
  scrapeCheck,
} from '../src/runner/validity';
import type { TimedSpan } from '../src/traces/trace-file';

const k6 = (iterations: number, droppedIterations: number): K6Outcome => ({
  exitCode: 0,
  script: 'journey',
  profile: 'chaos',
  thresholds: [],
  requests: 0,
  failedRate: 0,
  p50Ms: 0,
  p95Ms: 0,
  p99Ms: 0,
  acceptedOrders: 0,
  summaryFile: '',
  iterations,
  droppedIterations,
  vusMax: 32,
});

const phases: PhaseWindow[] = [
  { name: 'baseline', start: 0, end: 30_000 },
  { name: 'fault', start: 30_000, end: 60_000 },
  { name: 'recovery', start: 60_000, end: 90_000 },
];

test('dropped iterations above 1 % of those due make the load check fail, with the figures', () => {
  // The db-latency trials of 2026-12-04 dropped 17 of ~390 with 8 pre-allocated VUs.
  const dropped = loadCheck(k6(373, 17));
  assert.equal(dropped.ok, false);
  assert.match(dropped.detail, /17 of 390 iterations dropped \(4\.4 %\), at most 32 VUs/);
  const fine = loadCheck(k6(398, 2));
  assert.equal(fine.ok, true, fine.detail);
  assert.match(fine.detail, /2 of 400 iterations dropped \(0\.5 %\)/);
  assert.equal(loadCheck(k6(0, 0)).ok, true);
});

test('the load generator CPU per phase comes from the growth of its run, wait and slice counters', () => {
  // Per second, in the baseline: 0.5 s run, 0.1 s waited over 1000 wake-ups (0.1 ms each);
  // in the fault: 0.4 s run, 0.6 s waited over 40 wake-ups (15 ms each).
  const samples = [0, 10, 20, 30, 40, 50, 60].map((s) => {
    const base = Math.min(s, 30);
    const fault = Math.max(0, s - 30);
    return {
      at: s * 1000,
      runNs: (base * 0.5 + fault * 0.4) * 1e9,
      waitNs: (base * 0.1 + fault * 0.6) * 1e9,
      slices: base * 1000 + fault * 40,
    };
  });
  const cpu = generatorCpuByPhase(samples, phases);
  assert.equal(cpu.length, 2, 'the recovery phase has no samples');
  assert.equal(cpu[0]?.phase, 'baseline');
  assert.ok(Math.abs((cpu[0]?.cores ?? 0) - 0.5) < 1e-9);
  assert.ok(Math.abs((cpu[0]?.delayMs ?? 0) - 0.1) < 1e-9);
  assert.ok(Math.abs((cpu[1]?.cores ?? 0) - 0.4) < 1e-9);
  assert.ok(Math.abs((cpu[1]?.delayMs ?? 0) - 15) < 1e-9);
  const check = generatorCheck(cpu);
  assert.equal(check.ok, false);
  assert.match(check.detail, /starved of CPU in the fault phase: woken, its threads waited 15\.0 ms for a core/);
  // A mostly idle generator waits longer than it runs (a share of 17 % here, 60 % in the fault) and is
  // still exact: the baseline alone passes.
  assert.equal(generatorCheck(cpu.slice(0, 1)).ok, true);
});

test('a thread that ends takes its counters with it, not the totals', () => {
  const totals = new ThreadTotals();
  totals.add('1', 100, 10, 1);
  totals.add('2', 50, 5, 1);
  totals.add('1', 300, 30, 4);
  totals.add('3', 7, 1, 2); // a thread first seen counts from then on
  totals.add('3', 17, 2, 5);
  assert.equal(totals.runNs, 210);
  assert.equal(totals.waitNs, 21);
  assert.equal(totals.slices, 6);
});

test("k6's scheduler statistics are read from /proc for a real process", async () => {
  const busy = spawn(process.execPath, ['-e', 'const end = Date.now() + 1500; while (Date.now() < end);']);
  const watch = new GeneratorCpuWatch();
  watch.start(busy.pid as number, 200);
  await once(busy, 'exit');
  await sleep(300);
  watch.stop();
  assert.equal(watch.unavailable, undefined);
  const [all] = watch.byPhase([{ name: 'baseline', start: 0, end: Date.now() }]);
  assert.ok(all && all.cores > 0, `cores ${all?.cores}`);
  assert.ok(all.delayMs >= 0 && Number.isFinite(all.delayMs), `delay ${all.delayMs} ms`);
});

test("Prometheus missing more than 10 % of a target's scrapes fails the scrape check", () => {
  const counts = [
    { target: 'otel-collector/127.0.0.1:18889', intervalS: 5, seen: 18 },
    { target: 'toxiproxy/127.0.0.1:18474', intervalS: 5, seen: 17 },
  ];
  assert.equal(scrapeCheck(counts, 90).ok, true, scrapeCheck(counts, 90).detail);
  const missed = scrapeCheck([...counts, { target: 'redis/127.0.0.1:19121', intervalS: 5, seen: 12 }], 90);
  assert.equal(missed.ok, false);
  assert.match(missed.detail, /missed 6 of 18 scrapes of redis\/127\.0\.0\.1:19121 \(33\.3 %/);
  assert.equal(scrapeCheck([], 90).ok, false);
});

test('any span or metric point the collector refused or failed to export fails the collector check', () => {
  assert.equal(collectorCheck([{ metric: 'otelcol_receiver_refused_spans_total', value: 0 }]).ok, true);
  const lost = collectorCheck([
    { metric: 'otelcol_receiver_refused_spans_total', value: 0 },
    { metric: 'otelcol_exporter_send_failed_metric_points_total', value: 12.4 },
  ]);
  assert.equal(lost.ok, false);
  assert.match(lost.detail, /otelcol_exporter_send_failed_metric_points_total \+12$/);
});

test('a clock jump inside the phases fails the clock check; one outside does not', () => {
  assert.equal(clockCheck([{ at: 120_000, ms: 8_000 }], phases).ok, true);
  const jumped = clockCheck(
    [
      { at: 40_000, ms: 900 },
      { at: 45_000, ms: -4_000 },
    ],
    phases,
  );
  assert.equal(jumped.ok, false);
  assert.match(jumped.detail, /jumped back by 4\.0 s against the monotonic clock, at t = 45 s/);
});

const span = (startMs: number, ms: number, port: number, kind = 3): TimedSpan => ({
  service: 'orders',
  traceId: 't',
  spanId: `${startMs}`,
  parentSpanId: '',
  name: 'pg.query',
  kind,
  attributes: { 'server.port': String(port), 'db.system.name': 'postgresql' },
  startMs,
  endMs: startMs + ms,
});

test("a latency toxic is proven by its delay on the client spans that dialled the proxy's port", () => {
  // Baseline: queries of 4 ms; under a 150 ms toxic: 158 ms. Spans on another port and a producer
  // span (no round trip in its duration) count as traffic only where they dialled the port.
  const spans = [
    span(1_000, 4, 21202),
    span(2_000, 4, 21202),
    span(3_000, 300, 21999),
    span(31_000, 158, 21202),
    span(32_000, 158, 21202),
    span(33_000, 2, 21202, 4),
  ];
  const baseline = edgeSpans(spans, 21202, 0, 30_000);
  const fault = edgeSpans(spans, 21202, 30_000, 60_000);
  assert.deepEqual(baseline, { traffic: 2, client: { count: 2, meanMs: 4 } });
  assert.deepEqual(fault, { traffic: 3, client: { count: 2, meanMs: 158 } });
  const options = { proxy: 'orders-postgres', port: 21202, kind: 'latency', baseline, fault };
  const proven = proveToxic({ ...options, expectedDelayMs: 150 });
  assert.equal(proven.ok, true, proven.detail);
  assert.match(
    proven.detail,
    /3 spans crossed orders-postgres under the toxic; client spans' mean 4\.0 → 158\.0 ms \(\+154\.0 ms, n = 2 \/ 2\)/,
  );
  // A delay that did not show (a toxic on the wrong direction, say) is not proof.
  const hidden = proveToxic({ ...options, expectedDelayMs: 400 });
  assert.equal(hidden.ok, false);
  assert.match(hidden.detail, /the toxic's delay did not show on proxy orders-postgres/);
  // Other toxics need traffic only.
  assert.equal(proveToxic({ ...options, kind: 'bandwidth' }).detail, '3 spans crossed orders-postgres under the toxic');
});

test('a fault without proof fails the run, named with its evidence', () => {
  const fault = (id: string, proof?: FaultWindow['proof']): FaultWindow => ({
    id,
    kind: 'latency',
    target: 'orders-postgres',
    detail: 'latency',
    start: 30_000,
    end: 60_000,
    ...(proof ? { proof } : {}),
  });
  const nothing = edgeSpans([], 21999, 0, 60_000);
  const proven = fault('latency@orders-postgres', { ok: true, detail: 'seen' });
  const unused = fault(
    'latency@nobody',
    proveToxic({
      proxy: 'nobody',
      port: 21999,
      kind: 'latency',
      expectedDelayMs: 150,
      baseline: nothing,
      fault: nothing,
    }),
  );
  const checks = [faultsCheck([proven]), faultsCheck([proven, unused]), faultsCheck([fault('x')])];
  assert.deepEqual(
    checks.map((check) => check.ok),
    [true, false, false],
  );
  assert.equal(
    invalidReason(checks.slice(1, 2)),
    'fault latency@nobody did not land: no span crossed proxy nobody (port 21999) while the toxic was on it',
  );
  assert.equal(invalidReason([faultsCheck([proven])]), undefined);
});

test('a disabled listener is proven by a refused connection; an open one is not', async () => {
  assert.deepEqual(listenerAddress('0.0.0.0:15432', 'http://toxiproxy:8474'), { host: 'toxiproxy', port: 15432 });
  assert.deepEqual(listenerAddress('[::]:15432', 'http://127.0.0.1:8474'), { host: '127.0.0.1', port: 15432 });
  assert.deepEqual(listenerAddress('127.0.0.1:15433', 'http://toxiproxy:8474'), { host: '127.0.0.1', port: 15433 });
  const server = createServer((socket) => socket.end());
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  const open = await proveDisabled(`127.0.0.1:${port}`, 'http://127.0.0.1:1');
  assert.equal(open.ok, false);
  assert.match(open.detail, /still accepted/);
  server.close();
  await once(server, 'close');
  const closed = await proveDisabled(`127.0.0.1:${port}`, 'http://127.0.0.1:1');
  assert.deepEqual(closed, { ok: true, detail: `a connection to 127.0.0.1:${port} was refused` });
});

test('a killed process is proven by its pid being gone, a paused one by not running', async () => {
  const child = spawn('sleep', ['30']);
  const pid = String(child.pid);
  assert.equal(pidAlive(pid), true);
  assert.equal(proveProcessFault('kill', 'payments', pid, pid, true, true).ok, false);
  child.kill('SIGKILL');
  await once(child, 'exit');
  assert.equal(pidAlive(pid), false);
  assert.deepEqual(proveProcessFault('kill', 'payments', pid, undefined, false, false), {
    ok: true,
    detail: `payments pid ${pid} gone`,
  });
  assert.deepEqual(proveProcessFault('crash', 'payments', pid, '999', true, false), {
    ok: true,
    detail: `payments pid ${pid} gone, back as 999`,
  });
  assert.equal(proveProcessFault('crash', 'payments', undefined, '999', true).ok, false);
  assert.equal(proveProcessFault('pause', 'redis', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z', true).ok, false);
  assert.equal(proveProcessFault('pause', 'redis', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z', false).ok, true);
});
