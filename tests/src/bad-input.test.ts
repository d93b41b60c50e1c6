import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gatewayUrl } from './support/endpoints';

interface Case {
  name: string;
  method?: string;
  path?: string;
  body?: string;
  contentType?: string;
  status: number;
  field?: string;
}

const json = 'application/json';
const order = (value: unknown) => JSON.stringify(value);

const cases: Case[] = [
  { name: 'broken JSON', body: '{"items": [', contentType: json, status: 400 },
  { name: 'JSON that is not an object', body: '"hello"', contentType: json, status: 400 },
  { name: 'form-encoded body', body: 'items=1', contentType: 'application/x-www-form-urlencoded', status: 415 },
  { name: 'text body', body: 'hello', contentType: 'text/plain', status: 415 },
  { name: 'missing items', body: order({}), contentType: json, status: 400, field: '/items' },
  { name: 'empty items', body: order({ items: [] }), contentType: json, status: 400, field: '/items' },
  {
    name: 'quantity zero',
    body: order({ items: [{ productId: 1, quantity: 0 }] }),
    contentType: json,
    status: 400,
    field: '/items/0/quantity',
  },
  {
    name: 'negative quantity',
    body: order({ items: [{ productId: 1, quantity: -3 }] }),
    contentType: json,
    status: 400,
    field: '/items/0/quantity',
  },
  {
    name: 'huge quantity',
    body: order({ items: [{ productId: 1, quantity: 1e12 }] }),
    contentType: json,
    status: 400,
    field: '/items/0/quantity',
  },
  {
    name: 'fractional quantity',
    body: order({ items: [{ productId: 1, quantity: 1.5 }] }),
    contentType: json,
    status: 400,
    field: '/items/0/quantity',
  },
  {
    name: 'productId as a string',
    body: order({ items: [{ productId: '1', quantity: 1 }] }),
    contentType: json,
    status: 400,
    field: '/items/0/productId',
  },
  {
    name: 'SQL in productId',
    body: order({ items: [{ productId: '1; DROP TABLE orders', quantity: 1 }] }),
    contentType: json,
    status: 400,
    field: '/items/0/productId',
  },
  {
    name: 'unknown field',
    body: order({ items: [{ productId: 1, quantity: 1 }], admin: true }),
    contentType: json,
    status: 400,
  },
  {
    name: 'oversized body',
    body: order({ items: [{ productId: 1, quantity: 1 }], pad: 'x'.repeat(100_000) }),
    contentType: json,
    status: 413,
  },
  { name: 'order id that is not a UUID', method: 'GET', path: '/api/orders/not-a-uuid', status: 400, field: '/id' },
  { name: 'order id with SQL', method: 'GET', path: "/api/orders/1'%20OR%20'1'='1", status: 400, field: '/id' },
  { name: 'unknown order', method: 'GET', path: '/api/orders/00000000-0000-4000-8000-000000000000', status: 404 },
  { name: 'unknown route', method: 'GET', path: '/api/nothing-here', status: 404 },
  { name: 'wrong method', method: 'DELETE', path: '/api/orders', status: 405 },
];

for (const c of cases) {
  test(`bad input → 4xx problem+json, never a 5xx: ${c.name}`, async () => {
    const response = await fetch(`${gatewayUrl}${c.path ?? '/api/orders'}`, {
      method: c.method ?? 'POST',
      headers: c.contentType ? { 'content-type': c.contentType } : {},
      body: c.body,
    });
    const problem = (await response.json()) as { status: number; errors?: { field: string }[] };
    assert.equal(response.status, c.status);
    assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.equal(problem.status, c.status);
    if (c.field)
      assert.ok(
        problem.errors?.some((e) => e.field === c.field),
        `names ${c.field}: ${JSON.stringify(problem)}`,
      );
  });
}
