import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { api } from '@confeitaria/platform';
import type pg from 'pg';
import { call, createProduct, primaryPool, type RunningCatalog, startCatalog, stockOf } from './catalog-harness';

let catalog: RunningCatalog;
let primary: pg.Pool;
before(async () => {
  catalog = await startCatalog();
  primary = primaryPool();
});
after(async () => {
  await catalog.service.stop();
  await primary.end();
});

const movementsOf = async (productId: number) =>
  (
    await primary.query<{ delta: number; kind: string }>(
      'SELECT delta, kind FROM stock_movements WHERE product_id = $1 ORDER BY id',
      [productId],
    )
  ).rows;

const newProduct = {
  name: 'Torta de banana',
  description: 'com canela',
  priceCents: 5_990,
  category: 'tortas',
  stock: 12,
};

test('an admin creates a product: 201, the product view, a Location, and a CREATE stock movement', async () => {
  const reply = await call(catalog.base, '/products', { method: 'POST', admin: true, body: newProduct });
  assert.equal(reply.status, 201);
  const product = api.productView.parse(reply.body);
  assert.deepEqual({ ...product, id: 0 }, { ...newProduct, id: 0, currency: 'BRL' });
  assert.equal(await stockOf(primary, product.id), 12);
  assert.deepEqual(await movementsOf(product.id), [{ delta: 12, kind: 'CREATE' }]);
});

test('creating or restocking without the admin role is a 403 problem, and changes nothing', async () => {
  const created = await call(catalog.base, '/products', { method: 'POST', body: newProduct });
  assert.equal(created.status, 403);
  assert.match(created.contentType, /^application\/problem\+json/);

  const product = await createProduct(catalog.base, { stock: 4 });
  const restocked = await call(catalog.base, `/products/${product.id}/stock`, { method: 'PUT', body: { stock: 40 } });
  assert.equal(restocked.status, 403);
  assert.equal(await stockOf(primary, product.id), 4);
});

test('a product in an unknown category is a 400 naming /category', async () => {
  const reply = await call(catalog.base, '/products', {
    method: 'POST',
    admin: true,
    body: { ...newProduct, category: 'sorvetes' },
  });
  assert.equal(reply.status, 400);
  assert.equal(reply.body.errors[0].field, '/category');
});

test('an invalid product is a 400 naming each bad field', async () => {
  const cases: [unknown, string][] = [
    [{ ...newProduct, priceCents: 0 }, '/priceCents'],
    [{ ...newProduct, priceCents: 10.5 }, '/priceCents'],
    [{ ...newProduct, stock: -1 }, '/stock'],
    [{ ...newProduct, name: '   ' }, '/name'],
    [{ ...newProduct, sku: 'x' }, '/'],
    [[], '/'],
  ];
  for (const [body, field] of cases) {
    const reply = await call(catalog.base, '/products', { method: 'POST', admin: true, body });
    assert.equal(reply.status, 400, JSON.stringify(body));
    assert.ok(
      reply.body.errors.some((error: { field: string }) => error.field === field),
      `${JSON.stringify(body)}: ${JSON.stringify(reply.body.errors)}`,
    );
  }
});

test('setting stock is absolute and records each change as a RESTOCK or ADJUST movement', async () => {
  const product = await createProduct(catalog.base, { stock: 10 });
  const up = await call(catalog.base, `/products/${product.id}/stock`, {
    method: 'PUT',
    admin: true,
    body: { stock: 25 },
  });
  assert.equal(up.status, 200);
  assert.equal(api.productView.parse(up.body).stock, 25);
  const down = await call(catalog.base, `/products/${product.id}/stock`, {
    method: 'PUT',
    admin: true,
    body: { stock: 3 },
  });
  assert.equal(down.body.stock, 3);
  const same = await call(catalog.base, `/products/${product.id}/stock`, {
    method: 'PUT',
    admin: true,
    body: { stock: 3 },
  });
  assert.equal(same.status, 200);
  assert.deepEqual(await movementsOf(product.id), [
    { delta: 10, kind: 'CREATE' },
    { delta: 15, kind: 'RESTOCK' },
    { delta: -22, kind: 'ADJUST' },
  ]);
  assert.equal(await stockOf(primary, product.id), 3);
});

test('setting the stock of an unknown product is a 404; a bad id or stock a 400 naming the field', async () => {
  const missing = await call(catalog.base, '/products/2147483647/stock', {
    method: 'PUT',
    admin: true,
    body: { stock: 1 },
  });
  assert.equal(missing.status, 404);
  const badId = await call(catalog.base, '/products/abc/stock', { method: 'PUT', admin: true, body: { stock: 1 } });
  assert.equal(badId.status, 400);
  assert.equal(badId.body.errors[0].field, '/id');
  for (const body of [{ stock: -1 }, { stock: 'ten' }, {}, { stock: 1, extra: true }]) {
    const reply = await call(catalog.base, '/products/1/stock', { method: 'PUT', admin: true, body });
    assert.equal(reply.status, 400, JSON.stringify(body));
    assert.match(reply.body.errors[0].field, /^\/(stock)?$/);
  }
});

test('concurrent restocks of one product keep the movements summing to the stock', async () => {
  const product = await createProduct(catalog.base, { stock: 0 });
  const targets = [5, 17, 2, 30, 11, 8, 0, 21];
  const replies = await Promise.all(
    targets.map((stock) =>
      call(catalog.base, `/products/${product.id}/stock`, { method: 'PUT', admin: true, body: { stock } }),
    ),
  );
  assert.ok(replies.every((reply) => reply.status === 200));
  const total = (await movementsOf(product.id)).reduce((sum, movement) => sum + movement.delta, 0);
  assert.equal(total, await stockOf(primary, product.id));
});
