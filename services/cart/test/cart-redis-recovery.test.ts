import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type RunningService, userHeaders } from '@confeitaria/platform';
import { start } from '../src/app';

// A plain TCP relay to the real Redis that the test can cut and restore, like a link going down.
const sockets = new Set<Socket>();
let relay: Server | undefined;
let relayPort = 0;
let cart: RunningService;
let url: string;

async function openRelay(port: number): Promise<number> {
  relay = createServer((client) => {
    const upstream = connect(16379, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {});
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  relay.listen(port, '127.0.0.1');
  await once(relay, 'listening');
  return (relay.address() as AddressInfo).port;
}

async function cutRelay(): Promise<void> {
  const closed = new Promise((resolve) => relay?.close(resolve));
  for (const socket of sockets) socket.destroy();
  await closed;
}

const getCart = async () => {
  const response = await fetch(`${url}/cart`, { headers: userHeaders({ id: randomUUID(), role: 'customer' }) });
  await response.text();
  return response.status;
};
const breakerGauge = async () =>
  /circuit_breaker_state\{breaker="cart-redis"\} (\d)/.exec(await (await fetch(`${url}/metrics`)).text())?.[1];

before(async () => {
  relayPort = await openRelay(0);
  cart = await start({ PORT: 0, LOG_LEVEL: 'silent', REDIS_URL: `redis://127.0.0.1:${relayPort}` });
  url = `http://127.0.0.1:${cart.port}`;
});

after(async () => {
  await cart.stop();
  await cutRelay();
});

test('the breaker opens while Redis is cut off and closes again once it is back', async () => {
  assert.equal(await getCart(), 200);
  await cutRelay();
  for (let i = 0; i < 6; i++) assert.equal(await getCart(), 503);
  assert.equal(await breakerGauge(), '2');

  await openRelay(relayPort);
  // The breaker lets a trial call through after its 5 s reset timeout; that call closes it.
  const deadline = Date.now() + 15_000;
  let status = 503;
  while (status !== 200 && Date.now() < deadline) {
    await sleep(250);
    status = await getCart();
  }
  assert.equal(status, 200);
  assert.equal(await breakerGauge(), '0');
  assert.equal((await fetch(`${url}/readyz`)).status, 200);
});
