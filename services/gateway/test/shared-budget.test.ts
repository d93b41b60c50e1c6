/**
 * The login budget of an address is one budget however many gateway replicas the attempts spread
 * over (it lives in the real Redis), and it still holds, answering at once, when Redis is away or
 * silent (each replica's in-memory twin decides).
 */
import './support/telemetry';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { test } from 'node:test';
import { type GatewayUnderTest, loginFrom, startGatewayUnderTest } from './support/gateway-under-test';

// One login per 50 s and 3 more a minute above it: 4 per address, whatever the timing of the test.
const budget = { AUTH_RATE_LIMIT_RPS: 0.02, AUTH_RATE_LIMIT_BURST: 3 };

async function attempts(gateways: GatewayUnderTest[], address: string, count: number) {
  const outcomes: { status: number; ms: number }[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const { status } = await loginFrom((gateways[i % gateways.length] as GatewayUnderTest).url, address);
    outcomes.push({ status, ms: performance.now() - started });
  }
  return outcomes;
}

test('two gateway replicas share one login budget per address through Redis', async () => {
  const prefix = `test-${randomUUID()}`;
  const replicas = [
    await startGatewayUnderTest({ ...budget, REDIS_KEY_PREFIX: prefix }),
    await startGatewayUnderTest({ ...budget, REDIS_KEY_PREFIX: prefix }),
  ];
  try {
    const outcomes = await attempts(replicas, '127.0.0.31', 10);
    const let_through = outcomes.filter((outcome) => outcome.status !== 429).length;
    assert.equal(let_through, 4, `statuses ${outcomes.map((o) => o.status).join(' ')}: 4 in all, not 4 per replica`);
    // Another address has a budget of its own, on either replica.
    assert.notEqual((await loginFrom((replicas[1] as GatewayUnderTest).url, '127.0.0.32')).status, 429);
  } finally {
    await Promise.all(replicas.map((replica) => replica.stop()));
  }
});

test('without Redis the budget holds per replica and no login waits for it', async () => {
  const sockets = new Set<Socket>();
  // A "Redis" that accepts connections and never answers (a blackholed link), and one that is not there.
  const silent = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  silent.listen(0, '127.0.0.1');
  await once(silent, 'listening');
  const silentUrl = `redis://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  try {
    for (const [name, REDIS_URL] of [
      ['down', 'redis://127.0.0.1:1'],
      ['silent', silentUrl],
    ] as const) {
      const gw = await startGatewayUnderTest({ ...budget, REDIS_URL });
      try {
        const outcomes = await attempts([gw], '127.0.0.33', 6);
        assert.deepEqual(
          outcomes.map((outcome) => outcome.status === 429),
          [false, false, false, false, true, true],
          `Redis ${name}: ${outcomes.map((o) => o.status).join(' ')}`,
        );
        const slowest = Math.max(...outcomes.map((outcome) => outcome.ms));
        assert.ok(slowest < 2_000, `Redis ${name}: slowest login answered in ${slowest.toFixed(0)} ms`);
      } finally {
        await gw.stop();
      }
    }
  } finally {
    for (const socket of sockets) socket.destroy();
    silent.close();
  }
});
