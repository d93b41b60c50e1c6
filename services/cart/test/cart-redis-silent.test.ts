import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { after, before, test } from 'node:test';
import { type RunningService, userHeaders } from '@confeitaria/platform';
import { start } from '../src/app';

// A "Redis" that accepts connections and never answers: what a blackholed link looks like. The
// cart must not wait on it for longer than its command timeout.
const sockets = new Set<Socket>();
const silent = createServer((socket) => {
  sockets.add(socket);
  socket.on('close', () => sockets.delete(socket));
});
let cart: RunningService;
let url: string;

before(async () => {
  silent.listen(0, '127.0.0.1');
  await once(silent, 'listening');
  const { port } = silent.address() as AddressInfo;
  cart = await start({ PORT: 0, LOG_LEVEL: 'silent', REDIS_URL: `redis://127.0.0.1:${port}` });
  url = `http://127.0.0.1:${cart.port}`;
});

after(async () => {
  await cart.stop();
  for (const socket of sockets) socket.destroy();
  silent.close();
});

test('when Redis never answers, every cart request is a 503 problem within 2 s', async () => {
  for (let i = 0; i < 7; i++) {
    const started = performance.now();
    const response = await fetch(`${url}/cart`, { headers: userHeaders({ id: randomUUID(), role: 'customer' }) });
    await response.text();
    const ms = performance.now() - started;
    assert.equal(response.status, 503);
    assert.equal(response.headers.get('content-type'), 'application/problem+json');
    assert.ok(ms < 2_000, `request ${i} took ${ms} ms`);
  }
});

test('when Redis never answers, readiness is 503 within its own time limit', async () => {
  const started = performance.now();
  const response = await fetch(`${url}/readyz`);
  assert.equal(response.status, 503);
  assert.ok(performance.now() - started < 2_500);
});
