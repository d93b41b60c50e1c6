import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const preload = join(__dirname, '..', 'src', 'telemetry', 'preload.js');
const probe = join(__dirname, '..', '..', 'test', 'fixtures', 'instrumentation-probe.js');
// Spans go to an address where nothing listens: telemetry must cope silently.
const env = { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1', OTEL_SERVICE_NAME: 'probe' };

async function patched(withPreload: boolean): Promise<Record<string, boolean>> {
  const args = withPreload ? ['--require', preload, probe] : [probe];
  const { stdout } = await run(process.execPath, args, { env, timeout: 20_000 });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, boolean>;
}

test('the telemetry preload really patches pg, ioredis, amqplib and pino', async () => {
  const result = await patched(true);
  assert.deepEqual(result, { pg: true, ioredis: true, amqplib: true, pino: true });
});

test('without the preload nothing is patched (the probe can tell the difference)', async () => {
  const result = await patched(false);
  assert.deepEqual(result, { pg: false, ioredis: false, amqplib: false, pino: false });
});
