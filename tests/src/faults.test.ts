/**
 * Faults injected for real (Toxiproxy, SIGKILL) while orders flow: nothing accepted is lost, nothing
 * is charged twice, and the auditor is clean once the fault heals.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { components, waitHealthy } from '@confeitaria/stack/stack';
import { Toxiproxy } from 'toxiproxy-node-client';
import { assertAuditClean } from './support/audit';
import { promQuery, toxiproxyUrl } from './support/endpoints';
import { api, newCustomer, newProduct, placeOrder, settled, type TestUser } from './support/shop';
import { waitFor } from './support/wait';

const toxiproxy = new Toxiproxy(toxiproxyUrl);
after(() => toxiproxy.reset());

async function setEnabled(names: string[], enabled: boolean) {
  for (const name of names) {
    const proxy = await toxiproxy.get(name);
    await proxy.update({ enabled, listen: proxy.listen, upstream: proxy.upstream } as never);
  }
}

async function placeMany(user: TestUser, productId: number, count: number) {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const response = await placeOrder(user, { items: [{ productId, quantity: 1 }] });
    assert.equal(response.status, 202, `order ${i} accepted`);
    ids.push(response.body.id);
  }
  return ids;
}

describe('faults', () => {
  test('broker unreachable: orders are still accepted (202), and all complete once it is back', async () => {
    const product = await newProduct(50);
    const user = await newCustomer();
    const brokerProxies = (await toxiproxy.getAll()) as unknown as Record<string, unknown>;
    const rabbit = Object.keys(brokerProxies).filter((name) => name.endsWith('-rabbitmq'));
    await setEnabled(rabbit, false);
    let ids: string[];
    try {
      ids = await placeMany(user, product.id, 10);
      await sleep(2_000);
      const pending = await Promise.all(ids.map((id) => api('GET', `/api/orders/${id}`, { token: user.token })));
      assert.ok(
        pending.every((order) => order.body.status === 'PENDING'),
        'nothing can progress while the broker is away',
      );
    } finally {
      await setEnabled(rabbit, true);
    }
    const outcomes = await Promise.all(ids.map((id) => settled(user, id, 90_000)));
    assert.ok(outcomes.every((order) => order.status === 'CONFIRMED'));
    await assertAuditClean(ids);
  });

  test('replica unreachable: product listing keeps answering 200 from the primary, and returns to the replica', async () => {
    const replicaAvailable = async () =>
      Number((await promQuery('min(catalog_replica_available)'))[0]?.value[1] ?? Number.NaN);
    await setEnabled(['catalog-postgres-replica'], false);
    try {
      for (let i = 0; i < 20; i++) assert.equal((await api('GET', '/api/products?page=1&pageSize=5')).status, 200);
      await waitFor(
        'Prometheus to see the replica marked down',
        async () => {
          await api('GET', '/api/products?page=1&pageSize=5');
          return (await replicaAvailable()) === 0 ? true : undefined;
        },
        30_000,
      );
    } finally {
      await setEnabled(['catalog-postgres-replica'], true);
    }
    // Back on the replica: every catalog instance probes it again and marks it available.
    await waitFor(
      'both catalog instances back on the replica',
      async () => {
        assert.equal((await api('GET', '/api/products?page=1&pageSize=5')).status, 200);
        return (await replicaAvailable()) === 1 ? true : undefined;
      },
      60_000,
    );
  });

  test('payments killed with SIGKILL mid-batch and restarted: no order lost or charged twice', async () => {
    const product = await newProduct(100);
    const user = await newCustomer();
    const payments = components().find((component) => component.name === 'payments');
    assert.ok(payments);
    const ids = await placeMany(user, product.id, 10);
    const pid = await payments.pid();
    assert.ok(pid, 'payments runs');
    process.kill(pid, 'SIGKILL');
    // The batch goes on while payments is dead: these orders wait at the payment step.
    ids.push(...(await placeMany(user, product.id, 20)));
    await waitFor('the killed process to be gone', async () =>
      (await payments.pid()) === undefined ? true : undefined,
    );
    await payments.start();
    assert.ok((await waitHealthy(payments, 30_000)).ok, 'payments back');
    const outcomes = await Promise.all(ids.map((id) => settled(user, id, 90_000)));
    assert.ok(outcomes.every((order) => order.status === 'CONFIRMED'));
    await assertAuditClean(ids);
  });
});
