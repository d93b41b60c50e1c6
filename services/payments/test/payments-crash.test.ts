import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Broker, createLogger, type RunningService } from '@confeitaria/platform';
import pg from 'pg';
import { start } from '../src/app';
import { decideCharge } from '../src/domain/payment-provider';

const amqpUrl = 'amqp://confeitaria:confeitaria@127.0.0.1:15673';
const databaseUrl = 'postgres://payments:payments@127.0.0.1:15432/payments';
const main = join(__dirname, '..', 'src', 'main.js');

let child: ChildProcess | undefined;
let restarted: RunningService | undefined;
const childLog: string[] = [];
const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
const publisher = new Broker(amqpUrl, createLogger('payments-crash-test', 'silent'));

after(async () => {
  child?.kill('SIGKILL');
  await restarted?.stop();
  await publisher.stop();
  await pool.end();
});

/** Runs payments as its own process, with a slow (3 s) provider, and resolves once it consumes. */
async function spawnPayments(): Promise<ChildProcess> {
  const payments = spawn(process.execPath, [main], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'debug', PAYMENT_LATENCY_MS: '3000', PAYMENT_LATENCY_JITTER_MS: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  createInterface({ input: payments.stdout as NodeJS.ReadableStream }).on('line', (line) => childLog.push(line));
  const deadline = Date.now() + 15_000;
  let port: number | undefined;
  while (Date.now() < deadline) {
    port ??= childLog.map((line) => /"port":(\d+)/.exec(line)?.[1]).find(Boolean) as number | undefined;
    if (port && childLog.some((line) => line.includes('connected to RabbitMQ'))) break;
    await sleep(50);
  }
  assert.ok(port, 'the payments process started');
  return payments;
}

async function childReceives(orderId: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (childLog.some((line) => line.includes('charging order') && line.includes(orderId))) return true;
    await sleep(20);
  }
  return false;
}

const acceptedOrderId = () => {
  for (;;) {
    const orderId = randomUUID();
    if (decideCharge({ seed: 'confeitaria', declineRate: 0.05 }, orderId, 'tok_visa').status === 'SUCCEEDED') {
      return orderId;
    }
  }
};
const paymentStatuses = async (orderId: string) =>
  (await pool.query('SELECT status FROM payments WHERE order_id = $1', [orderId])).rows.map((row) => row.status);
const outboxRows = async (orderId: string) =>
  (await pool.query("SELECT published_at FROM outbox WHERE payload->>'orderId' = $1", [orderId])).rows;

test('payments killed (SIGKILL) in the middle of a charge loses nothing: after a restart the order is charged once', async (t) => {
  child = await spawnPayments();
  await publisher.start();
  // Other payments instances (a running stack) share the queue: retry until this process gets a message.
  let orderId: string | undefined;
  for (let attempt = 0; attempt < 4 && !orderId; attempt++) {
    const candidate = acceptedOrderId();
    await publisher.publish(
      'stock.reserved',
      { orderId: candidate, totalCents: 990, paymentToken: 'tok_visa' },
      randomUUID(),
    );
    if (await childReceives(candidate, 2_000)) orderId = candidate;
  }
  if (!orderId) return t.skip('another payments instance took every message');

  await sleep(500); // inside the 3 s provider call
  child.kill('SIGKILL');
  await once(child, 'exit');
  child = undefined;
  assert.deepEqual(await paymentStatuses(orderId), [], 'nothing was recorded before the crash');

  // The unacknowledged message goes back to the queue; a fresh instance (or any other) handles it.
  restarted = await start({ PORT: 0, LOG_LEVEL: 'silent', PAYMENT_LATENCY_MS: 10 });
  const deadline = Date.now() + 15_000;
  let outbox = await outboxRows(orderId);
  while (!outbox[0]?.published_at && Date.now() < deadline) {
    await sleep(100);
    outbox = await outboxRows(orderId);
  }
  assert.deepEqual(await paymentStatuses(orderId), ['SUCCEEDED']);
  assert.equal(outbox.length, 1, 'one event in the outbox');
  assert.ok(outbox[0]?.published_at, 'and it was published');
});
