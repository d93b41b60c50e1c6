import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Router from '@koa/router';
import pino from 'pino';
import { createHttpService, type HttpService } from '../src/index';

// A route that holds each request until released: a service whose upstream has gone slow.
const held: (() => void)[] = [];
let service: HttpService;
let base: string;

before(async () => {
  const router = new Router();
  router.get('/slow', async (ctx) => {
    await new Promise<void>((resolve) => held.push(resolve));
    ctx.body = { ok: true };
  });
  service = createHttpService({
    service: 'in-flight-test',
    logger: pino({ level: 'silent' }),
    router,
    readiness: {},
    inFlight: { concurrency: 2, queueLimit: 3, maxWaitMs: 5_000 },
  });
  base = `http://127.0.0.1:${await service.listen(0, '127.0.0.1')}`;
});
after(() => service.close(100));

test('beyond its in-flight limit and queue a service sheds at once with 503 at_capacity, and still answers its probes', async () => {
  const slow = Array.from({ length: 5 }, () => fetch(`${base}/slow`));
  while (held.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
  const started = performance.now();
  const refused = await fetch(`${base}/slow`);
  const ms = performance.now() - started;
  assert.equal(refused.status, 503);
  assert.ok(Number(refused.headers.get('retry-after')) >= 1);
  assert.equal(refused.headers.get('content-type'), 'application/problem+json');
  const problem = (await refused.json()) as { reason?: string; code?: string };
  assert.equal(problem.reason, 'at_capacity');
  assert.ok(ms < 1_000, `refused after ${Math.round(ms)} ms`);

  // Probes and scrapes are not held behind the queue.
  assert.equal((await fetch(`${base}/healthz`)).status, 200);
  const metrics = await (await fetch(`${base}/metrics`)).text();
  assert.match(metrics, /http_requests_shed_total\{reason="at_capacity"\} [1-9]/);
  assert.match(metrics, /admission_gate_queued\{gate="in-flight-test-requests"\} 3/);

  // The queued ones are served once the running ones finish: nothing admitted is dropped.
  for (let released = 0; released < 5; released++) {
    while (!held.length) await new Promise((resolve) => setTimeout(resolve, 5));
    held.shift()?.();
  }
  const statuses = (await Promise.all(slow)).map((response) => response.status);
  assert.deepEqual(statuses, [200, 200, 200, 200, 200]);
});
