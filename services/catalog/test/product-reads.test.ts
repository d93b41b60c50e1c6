import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { api } from '@confeitaria/platform';
import { call, createProduct, eventually, type RunningCatalog, startCatalog } from './catalog-harness';

let catalog: RunningCatalog;
before(async () => {
  catalog = await startCatalog();
});
after(async () => {
  await catalog.service.stop();
});

const isProblem = (reply: { status: number; contentType: string }, status: number) =>
  reply.status === status && reply.contentType.startsWith('application/problem+json');

test('the categories of the seeded catalogue are listed with id, slug and name', async () => {
  const reply = await call(catalog.base, '/categories');
  assert.equal(reply.status, 200);
  const slugs = reply.body.items.map((item: { slug: string }) => item.slug);
  for (const slug of ['bolos', 'tortas', 'docinhos', 'biscoitos', 'chocolates', 'paes', 'salgados']) {
    assert.ok(slugs.includes(slug), `missing category ${slug}`);
  }
  for (const item of reply.body.items) api.categoryView.parse(item);
});

test('products are listed in id order, twenty to a page by default, each a full product view', async () => {
  const reply = await call(catalog.base, '/products');
  assert.equal(reply.status, 200);
  assert.equal(reply.body.page, 1);
  assert.equal(reply.body.pageSize, 20);
  assert.ok(reply.body.total >= 30, `only ${reply.body.total} products`);
  assert.equal(reply.body.items.length, 20);
  for (const item of reply.body.items) api.productView.parse(item);
  const ids = reply.body.items.map((item: { id: number }) => item.id);
  assert.deepEqual(
    ids,
    [...ids].sort((a, b) => a - b),
  );
});

test('consecutive pages do not overlap and together cover the first products', async () => {
  const first = await call(catalog.base, '/products?page=1&pageSize=5');
  const second = await call(catalog.base, '/products?page=2&pageSize=5');
  const both = await call(catalog.base, '/products?page=1&pageSize=10');
  const ids = (reply: typeof first) => reply.body.items.map((item: { id: number }) => item.id);
  assert.equal(ids(first).length, 5);
  assert.deepEqual([...ids(first), ...ids(second)], ids(both));
  assert.equal(first.body.total, both.body.total);
});

test('a page past the end is empty but still reports the total', async () => {
  const reply = await call(catalog.base, '/products?page=10000&pageSize=100');
  assert.equal(reply.status, 200);
  assert.deepEqual(reply.body.items, []);
  assert.ok(reply.body.total >= 30);
});

test('the category filter returns only that category, and its total', async () => {
  const reply = await call(catalog.base, '/products?category=bolos&pageSize=100');
  assert.equal(reply.status, 200);
  assert.ok(reply.body.items.length > 0);
  assert.ok(reply.body.items.every((item: { category: string }) => item.category === 'bolos'));
  // Other tests keep adding products to categories, so the first page may not hold them all.
  assert.equal(reply.body.items.length, Math.min(reply.body.total, 100));
});

test('an unknown category is an empty list, not an error', async () => {
  const reply = await call(catalog.base, '/products?category=nao-existe');
  assert.equal(reply.status, 200);
  assert.deepEqual(reply.body.items, []);
  assert.equal(reply.body.total, 0);
});

test('bad paging or filters are a 400 problem naming the field', async () => {
  const cases: [string, string][] = [
    ['/products?page=0', '/page'],
    ['/products?page=abc', '/page'],
    ['/products?pageSize=101', '/pageSize'],
    ['/products?pageSize=1.5', '/pageSize'],
    ['/products?category=Bolos!', '/category'],
    ['/products?colour=red', '/'],
  ];
  for (const [path, field] of cases) {
    const reply = await call(catalog.base, path);
    assert.ok(isProblem(reply, 400), `${path} answered ${reply.status}`);
    assert.ok(
      reply.body.errors.some((error: { field: string }) => error.field === field),
      `${path}: ${JSON.stringify(reply.body.errors)}`,
    );
  }
});

test('one product is found by id', async () => {
  const created = await createProduct(catalog.base, { stock: 7, category: 'tortas', priceCents: 4_321 });
  // Reads come from the replica, which may trail the primary by a few milliseconds.
  const reply = await eventually(
    () => call(catalog.base, `/products/${created.id}`),
    (candidate) => candidate.status === 200,
  );
  assert.deepEqual(reply.body, { ...created, currency: 'BRL' });
  assert.equal(reply.body.priceCents, 4_321);
  assert.equal(reply.body.category, 'tortas');
});

test('an unknown product is a 404 problem and a non-numeric id a 400 naming /id', async () => {
  assert.ok(isProblem(await call(catalog.base, '/products/2147483647'), 404));
  for (const id of ['abc', '0', '-3', '99999999999']) {
    const reply = await call(catalog.base, `/products/${id}`);
    assert.ok(isProblem(reply, 400), `${id} answered ${reply.status}`);
    assert.equal(reply.body.errors[0].field, '/id');
  }
});

test('the internal lookup returns the products that exist among the ids, in id order', async () => {
  const one = await createProduct(catalog.base, { stock: 1 });
  const two = await createProduct(catalog.base, { stock: 2 });
  const reply = await eventually(
    () => call(catalog.base, `/internal/products?ids=${two.id},2147483647,${one.id},${two.id}`),
    (candidate) => candidate.body.items?.length === 2,
  );
  assert.equal(reply.status, 200);
  assert.deepEqual(
    reply.body.items.map((item: { id: number }) => item.id),
    [one.id, two.id],
  );
});

test('the internal lookup refuses malformed id lists, naming the field', async () => {
  const tooMany = Array.from({ length: 101 }, (_, index) => index + 1).join(',');
  const cases: [string, string][] = [
    ['/internal/products', '/ids'],
    ['/internal/products?ids=', '/ids/0'],
    ['/internal/products?ids=1,x,3', '/ids/1'],
    ['/internal/products?ids=1,-2', '/ids/1'],
    ['/internal/products?ids=1,2.5', '/ids/1'],
    ['/internal/products?ids=3000000000', '/ids/0'],
    [`/internal/products?ids=${tooMany}`, '/ids'],
  ];
  for (const [path, field] of cases) {
    const reply = await call(catalog.base, path);
    assert.ok(isProblem(reply, 400), `${path} answered ${reply.status}`);
    assert.equal(reply.body.errors[0].field, field, path);
  }
});
