import './support/telemetry';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type GatewayUnderTest, startGatewayUnderTest } from './support/gateway-under-test';
import { deadUrl } from './support/stand-in-server';

let gw: GatewayUnderTest;
before(async () => {
  gw = await startGatewayUnderTest();
});
after(() => gw.stop());

/** DESIGN.md §2, written out by hand: the document must cover exactly these. */
const publicOperations = [
  'post /api/auth/register',
  'post /api/auth/login',
  'get /api/categories',
  'get /api/products',
  'get /api/products/{id}',
  'post /api/products',
  'put /api/products/{id}/stock',
  'get /api/cart',
  'post /api/cart/items',
  'delete /api/cart/items/{productId}',
  'delete /api/cart',
  'post /api/orders',
  'get /api/orders/{id}',
  'get /api/orders',
];

interface OpenApi {
  openapi: string;
  paths: Record<
    string,
    Record<string, { security?: unknown[]; responses: Record<string, { content?: Record<string, unknown> }> }>
  >;
  components: { schemas: Record<string, unknown> };
}

test('the OpenAPI document lists every public operation, with bearer auth where needed and problem errors', async () => {
  const response = await gw.call('/api/docs/openapi.json');
  assert.equal(response.status, 200);
  const document = (await response.json()) as OpenApi;
  assert.equal(document.openapi, '3.1.0');
  const listed = Object.entries(document.paths)
    .flatMap(([path, item]) => Object.keys(item).map((method) => `${method} ${path}`))
    .filter((operation) => operation.includes(' /api/'));
  assert.deepEqual(listed.sort(), [...publicOperations].sort());

  const placeOrder = document.paths['/api/orders']?.post;
  assert.deepEqual(placeOrder?.security, [{ bearer: [] }]);
  assert.ok(placeOrder?.responses['202']);
  for (const status of ['400', '401', '404', '409', '429']) {
    assert.ok(placeOrder?.responses[status]?.content?.['application/problem+json'], `POST /api/orders ${status}`);
  }
  assert.equal(document.paths['/api/categories']?.get?.security, undefined);
  assert.ok(document.paths['/api/products']?.post?.responses['403']);
  for (const name of ['Product', 'Cart', 'Order', 'PlaceOrderRequest', 'Problem']) {
    assert.ok(document.components.schemas[name], name);
  }
});

test('the docs page is readable HTML naming every operation, with no outside assets', async () => {
  const response = await gw.call('/api/docs');
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
  const page = await response.text();
  for (const operation of publicOperations) {
    const [, path] = operation.split(' ');
    assert.ok(page.includes(`<code>${path}</code>`), operation);
  }
  assert.doesNotMatch(page, /<script|(src|href)="https?:/);
});

test('readiness does not follow the upstreams: an identity or catalog outage leaves the gateway in rotation', async () => {
  assert.equal((await gw.call('/readyz')).status, 200);
  const lonely = await startGatewayUnderTest({
    IDENTITY_URL: await deadUrl(),
    CATALOG_URLS: [await deadUrl(), await deadUrl()],
  });
  try {
    assert.equal((await lonely.call('/readyz')).status, 200);
    // Instead, each route that needs the missing upstream answers a 503 problem naming it.
    const products = await lonely.call('/api/products');
    assert.equal(products.status, 503);
    assert.equal(((await products.json()) as { dependency: string }).dependency, 'catalog');
    assert.ok(products.headers.get('retry-after'), 'says when to try again');
  } finally {
    await lonely.stop();
  }
});
