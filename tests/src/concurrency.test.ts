import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertAuditClean } from './support/audit';
import { api, newCustomer, newProduct, politely, settled, type TestUser } from './support/shop';

test('200 concurrent checkouts of the last 10 units: exactly 10 CONFIRMED, 190 OUT_OF_STOCK, stock 0', async () => {
  const product = await newProduct(10);
  const users: TestUser[] = await Promise.all(Array.from({ length: 20 }, () => newCustomer()));
  const attempts = Array.from({ length: 200 }, (_, i) => users[i % users.length] as TestUser);

  const accepted = await Promise.all(
    attempts.map(async (user) => {
      // A checkout shed by the gateway's admission control (503 at_capacity / saga_behind, with
      // Retry-After) was never processed: a well-behaved client waits and sends it again.
      const response = await politely<{ id: string }>('POST', '/api/orders', {
        token: user.token,
        body: { items: [{ productId: product.id, quantity: 1 }] },
        from: user.address,
      });
      assert.equal(response.status, 202, JSON.stringify(response.body));
      return { user, id: response.body.id, waits: response.waits };
    }),
  );
  const outcomes = await Promise.all(accepted.map(({ user, id }) => settled(user, id, 90_000)));
  const confirmed = outcomes.filter((order) => order.status === 'CONFIRMED').length;
  const outOfStock = outcomes.filter((order) => order.status === 'CANCELLED' && order.reason === 'OUT_OF_STOCK').length;
  const others = outcomes.filter((order) => order.status !== 'CONFIRMED' && order.reason !== 'OUT_OF_STOCK');
  const shedAndRetried = accepted.filter((a) => a.waits > 0).length;
  console.log(JSON.stringify({ confirmed, outOfStock, shedAndRetried, others: others.slice(0, 3) }));
  assert.equal(confirmed, 10);
  assert.equal(outOfStock, 190);
  assert.equal((await api('GET', `/api/products/${product.id}`)).body.stock, 0);
  await assertAuditClean(accepted.map(({ id }) => id));
});
