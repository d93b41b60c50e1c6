/**
 * Issue 19: with catalog-1 dead, the gateway sent admin writes to it and answered 503, although the
 * connection was refused and the request never reached a server. Now a write whose connection failed is
 * repeated on the other instance (services/platform/src/http/upstream-pool.ts): with one catalog
 * instance dead (held down, SIGKILLed), every admin stock write through the gateway succeeds.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { components } from '@confeitaria/stack/stack';
import { crash, restore } from './support/crash';
import { admin, api, newProduct } from './support/shop';

test('with one catalog instance dead, 50 admin stock writes through the gateway all succeed', async () => {
  const product = await newProduct(10);
  const token = await admin();
  const catalog1 = components().find((component) => component.name === 'catalog-1') ?? assert.fail();
  await crash('catalog-1');
  try {
    const statuses: number[] = [];
    for (let i = 1; i <= 50; i++) {
      const written = await api<{ stock: number }>('PUT', `/api/products/${product.id}/stock`, {
        token,
        body: { stock: 100 + i },
      });
      statuses.push(written.status);
    }
    assert.equal(await catalog1.pid(), undefined, 'catalog-1 stayed dead throughout');
    const failed = statuses.map((status, i) => [i + 1, status]).filter(([, status]) => status !== 200);
    assert.deepEqual(failed, [], 'writes that did not answer 200 (write number, status)');
    const read = await api<{ stock: number }>('GET', `/api/products/${product.id}`);
    assert.equal(read.body.stock, 150, 'the last write is the stock');
  } finally {
    await restore('catalog-1');
  }
});
