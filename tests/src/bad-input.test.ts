/**
 * Malformed requests of every kind against the live gateway: each must get a 4xx
 * application/problem+json (naming the field where there is one), never a 5xx.
 */
import assert from 'node:assert/strict';
import { createHmac, generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { before, test } from 'node:test';
import { gatewayUrl } from './support/endpoints';
import { admin, api, clientAddress, newCustomer, politely, type TestUser } from './support/shop';

interface Case {
  name: string;
  method?: string;
  path?: string;
  body?: string;
  contentType?: string;
  auth?: 'customer' | 'admin' | 'none' | string;
  headers?: Record<string, string>;
  status: number;
  field?: string;
}

const json = 'application/json';
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const order = (value: unknown): Partial<Case> => ({ body: JSON.stringify(value), contentType: json });
const line = (item: unknown) => order({ items: [item] });

/** Every account the table tries to register: none may exist afterwards. */
const hostileAccounts: { email: string; password: string }[] = [];
const register = (value: Record<string, unknown>): Partial<Case> => {
  const account = { email: `hostile-${randomUUID()}@confeitaria.test`, password: 'senha-forte-1' };
  hostileAccounts.push(account);
  return { method: 'POST', path: '/api/auth/register', auth: 'none', ...order({ ...account, name: 'A', ...value }) };
};
const newProduct = (value: Record<string, unknown>): Partial<Case> => ({
  method: 'POST',
  path: '/api/products',
  auth: 'admin',
  ...order({ name: 'Produto hostil', priceCents: 100, category: 'bolos', ...value }),
});
/** A token whose header names a key of its own (jwk, jku, kid tricks): the gateway must trust identity's JWKS only. */
function selfKeyedToken(header: Record<string, unknown>): string {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  const input = `${b64({ alg: 'ES256', typ: 'JWT', jwk, ...header })}.${b64(claims)}`;
  const signature = sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}
/** HS256 "signed" with a guessable secret: the algorithm-confusion forgery. */
function hmacToken(secret: string): string {
  const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

/** A well-formed ES256 token signed by a key that is not identity's. */
function forgedToken(claims: Record<string, unknown>): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const input = `${b64({ alg: 'ES256', typ: 'JWT', kid: 'forged' })}.${b64(claims)}`;
  const signature = sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

let customerToken = '';
let adminToken = '';
let customer: TestUser;
/** What the table must leave as it found it, read through the API before and after. */
const observed = async () => {
  const read = async (path: string, token?: string) => (await api('GET', path, { token })).body;
  return JSON.stringify({
    catalogue: await read('/api/products?pageSize=100'),
    cart: await read('/api/cart', customer.token),
    orders: await read('/api/orders', customer.token),
  });
};
let observedBefore = '';
before(async () => {
  customer = await newCustomer();
  customerToken = customer.token;
  adminToken = await admin();
  observedBefore = await observed();
});

const now = Math.floor(Date.now() / 1000);
const claims = {
  sub: '00000000-0000-4000-8000-000000000001',
  role: 'admin',
  iss: 'confeitaria-identity',
  aud: 'confeitaria-api',
  exp: now + 3600,
};
const tamperedRole = () => {
  const [header, payload, signature] = customerToken.split('.');
  const decoded = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
  return `${header}.${b64({ ...decoded, role: 'admin' })}.${signature}`;
};

const cases: (Case | (() => Case))[] = [
  // orders: body shape
  { name: 'broken JSON', ...order(''), body: '{"items": [', status: 400 },
  { name: 'JSON string instead of an object', body: '"hello"', contentType: json, status: 400 },
  { name: 'JSON array instead of an object', body: '[1,2]', contentType: json, status: 400 },
  { name: 'JSON null', body: 'null', contentType: json, status: 400 },
  { name: 'form-encoded body', body: 'items=1', contentType: 'application/x-www-form-urlencoded', status: 415 },
  { name: 'text body', body: 'hello', contentType: 'text/plain', status: 415 },
  { name: 'XML body', body: '<order/>', contentType: 'application/xml', status: 415 },
  { name: 'missing items', ...order({}), status: 400 },
  { name: 'empty items', ...order({ items: [] }), status: 400, field: '/items' },
  { name: 'items not an array', ...order({ items: 'all' }), status: 400 },
  {
    name: 'too many lines',
    ...order({ items: Array.from({ length: 51 }, (_, i) => ({ productId: i + 1, quantity: 1 })) }),
    status: 400,
  },
  { name: 'quantity zero', ...line({ productId: 1, quantity: 0 }), status: 400, field: '/items/0/quantity' },
  { name: 'negative quantity', ...line({ productId: 1, quantity: -3 }), status: 400, field: '/items/0/quantity' },
  { name: 'huge quantity', ...line({ productId: 1, quantity: 1e12 }), status: 400, field: '/items/0/quantity' },
  { name: 'fractional quantity', ...line({ productId: 1, quantity: 1.5 }), status: 400, field: '/items/0/quantity' },
  { name: 'quantity as text', ...line({ productId: 1, quantity: '2' }), status: 400, field: '/items/0/quantity' },
  { name: 'quantity null', ...line({ productId: 1, quantity: null }), status: 400, field: '/items/0/quantity' },
  { name: 'productId zero', ...line({ productId: 0, quantity: 1 }), status: 400, field: '/items/0/productId' },
  { name: 'negative productId', ...line({ productId: -5, quantity: 1 }), status: 400, field: '/items/0/productId' },
  { name: 'productId as text', ...line({ productId: '1', quantity: 1 }), status: 400, field: '/items/0/productId' },
  {
    name: 'productId beyond int32',
    ...line({ productId: 2 ** 31, quantity: 1 }),
    status: 400,
    field: '/items/0/productId',
  },
  { name: 'SQL injection in productId', ...line({ productId: '1; DROP TABLE orders', quantity: 1 }), status: 400 },
  { name: 'unknown field in a line', ...line({ productId: 1, quantity: 1, priceCents: 1 }), status: 400 },
  { name: 'unknown top-level field', ...order({ items: [{ productId: 1, quantity: 1 }], admin: true }), status: 400 },
  { name: 'fromCart false', ...order({ fromCart: false }), status: 400 },
  { name: 'fromCart as text', ...order({ fromCart: 'yes' }), status: 400 },
  {
    name: 'paymentToken as a number',
    ...order({ items: [{ productId: 1, quantity: 1 }], paymentToken: 4242 }),
    status: 400,
  },
  {
    name: 'paymentToken malformed',
    ...order({ items: [{ productId: 1, quantity: 1 }], paymentToken: "visa' OR 1=1" }),
    status: 400,
  },
  { name: 'unknown product', ...line({ productId: 999_999_999, quantity: 1 }), status: 404 },
  {
    name: 'oversized body',
    ...order({ items: [{ productId: 1, quantity: 1 }], pad: 'x'.repeat(100_000) }),
    status: 413,
  },
  // orders: path
  { name: 'order id not a UUID', method: 'GET', path: '/api/orders/not-a-uuid', status: 400 },
  { name: 'order id with SQL', method: 'GET', path: "/api/orders/1'%20OR%20'1'='1", status: 400 },
  { name: 'unknown order', method: 'GET', path: '/api/orders/00000000-0000-4000-8000-000000000000', status: 404 },
  // authentication
  { name: 'no token', method: 'GET', path: '/api/cart', auth: 'none', status: 401 },
  { name: 'empty bearer', method: 'GET', path: '/api/cart', auth: '', status: 401 },
  {
    name: 'basic auth instead of bearer',
    method: 'GET',
    path: '/api/cart',
    auth: 'Basic YWRtaW46YWRtaW4=',
    status: 401,
  },
  { name: 'malformed token', method: 'GET', path: '/api/cart', auth: 'Bearer abc.def', status: 401 },
  {
    name: 'alg none token',
    method: 'GET',
    path: '/api/cart',
    auth: `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`,
    status: 401,
  },
  {
    name: 'token signed by another key',
    method: 'GET',
    path: '/api/cart',
    auth: `Bearer ${forgedToken(claims)}`,
    status: 401,
  },
  {
    name: 'expired forged token',
    method: 'GET',
    path: '/api/cart',
    auth: `Bearer ${forgedToken({ ...claims, exp: now - 60 })}`,
    status: 401,
  },
  () => ({
    name: 'token with a tampered role',
    method: 'POST',
    path: '/api/products',
    auth: `Bearer ${tamperedRole()}`,
    ...order({ name: 'x', priceCents: 1, category: 'bolos' }),
    status: 401,
  }),
  // identity
  {
    name: 'register without email',
    method: 'POST',
    path: '/api/auth/register',
    auth: 'none',
    ...order({ password: 'senha-forte', name: 'A' }),
    status: 400,
    field: '/email',
  },
  {
    name: 'register with a bad email',
    method: 'POST',
    path: '/api/auth/register',
    auth: 'none',
    ...order({ email: 'nope', password: 'senha-forte', name: 'A' }),
    status: 400,
    field: '/email',
  },
  {
    name: 'register with a short password',
    method: 'POST',
    path: '/api/auth/register',
    auth: 'none',
    ...order({ email: 'a@b.test', password: '123', name: 'A' }),
    status: 400,
    field: '/password',
  },
  {
    name: 'register claiming a role',
    method: 'POST',
    path: '/api/auth/register',
    auth: 'none',
    ...order({ email: 'a@b.test', password: 'senha-forte', name: 'A', role: 'admin' }),
    status: 400,
  },
  {
    name: 'register with email as a number',
    method: 'POST',
    path: '/api/auth/register',
    auth: 'none',
    ...order({ email: 42, password: 'senha-forte', name: 'A' }),
    status: 400,
    field: '/email',
  },
  {
    name: 'login without password',
    method: 'POST',
    path: '/api/auth/login',
    auth: 'none',
    ...order({ email: 'a@b.test' }),
    status: 400,
    field: '/password',
  },
  {
    name: 'login with email as an array',
    method: 'POST',
    path: '/api/auth/login',
    auth: 'none',
    ...order({ email: ['a@b.test'], password: 'x' }),
    status: 400,
    field: '/email',
  },
  // catalog
  {
    name: 'page not a number',
    method: 'GET',
    path: '/api/products?page=abc',
    auth: 'none',
    status: 400,
    field: '/page',
  },
  {
    name: 'page size zero',
    method: 'GET',
    path: '/api/products?pageSize=0',
    auth: 'none',
    status: 400,
    field: '/pageSize',
  },
  {
    name: 'category with SQL',
    method: 'GET',
    path: "/api/products?category=x'%3B%20DROP%20TABLE%20products",
    auth: 'none',
    status: 400,
    field: '/category',
  },
  { name: 'product id not a number', method: 'GET', path: '/api/products/abc', auth: 'none', status: 400 },
  { name: 'negative product id', method: 'GET', path: '/api/products/-1', auth: 'none', status: 400 },
  {
    name: 'product id beyond int32',
    method: 'GET',
    path: '/api/products/99999999999999999999',
    auth: 'none',
    status: 400,
  },
  {
    name: 'customer creating a product',
    method: 'POST',
    path: '/api/products',
    ...order({ name: 'x', priceCents: 1, category: 'bolos' }),
    status: 403,
  },
  {
    name: 'product with a negative price',
    method: 'POST',
    path: '/api/products',
    auth: 'admin',
    ...order({ name: 'x', priceCents: -1, category: 'bolos' }),
    status: 400,
    field: '/priceCents',
  },
  {
    name: 'product in an unknown category',
    method: 'POST',
    path: '/api/products',
    auth: 'admin',
    ...order({ name: 'x', priceCents: 100, category: 'nao-existe' }),
    status: 400,
    field: '/category',
  },
  {
    name: 'stock as text',
    method: 'PUT',
    path: '/api/products/1/stock',
    auth: 'admin',
    ...order({ stock: '5' }),
    status: 400,
    field: '/stock',
  },
  {
    name: 'negative stock',
    method: 'PUT',
    path: '/api/products/1/stock',
    auth: 'admin',
    ...order({ stock: -1 }),
    status: 400,
    field: '/stock',
  },
  {
    name: 'stock for an unknown product',
    method: 'PUT',
    path: '/api/products/999999999/stock',
    auth: 'admin',
    ...order({ stock: 1 }),
    status: 404,
  },
  // cart
  {
    name: 'cart line with productId as text',
    method: 'POST',
    path: '/api/cart/items',
    ...order({ productId: 'um', quantity: 1 }),
    status: 400,
    field: '/productId',
  },
  {
    name: 'cart line over the limit',
    method: 'POST',
    path: '/api/cart/items',
    ...order({ productId: 1, quantity: 101 }),
    status: 400,
    field: '/quantity',
  },
  {
    name: 'cart line without quantity',
    method: 'POST',
    path: '/api/cart/items',
    ...order({ productId: 1 }),
    status: 400,
    field: '/quantity',
  },
  {
    name: 'cart line for an unknown product',
    method: 'POST',
    path: '/api/cart/items',
    ...order({ productId: 999_999_999, quantity: 1 }),
    status: 404,
  },
  { name: 'cart removal with a bad id', method: 'DELETE', path: '/api/cart/items/abc', status: 400 },
  // routing: case and shape variants of real paths reach nothing (paths are case-sensitive, as
  // documented), and never get past the caller check or the rate limit (issue 15)
  { name: 'capitalised /API/cart', method: 'GET', path: '/API/cart', auth: 'none', status: 404 },
  { name: 'mixed-case /Api/cart', method: 'GET', path: '/Api/cart', auth: 'none', status: 404 },
  { name: 'capitalised resource /api/CART', method: 'GET', path: '/api/CART', auth: 'none', status: 404 },
  {
    name: 'capitalised /API/orders without a token',
    method: 'POST',
    path: '/API/orders',
    auth: 'none',
    ...line({ productId: 1, quantity: 1 }),
    status: 404,
  },
  {
    name: 'capitalised /API/orders with a bad token',
    method: 'POST',
    path: '/API/orders',
    auth: 'Bearer x.y.z',
    ...line({ productId: 1, quantity: 1 }),
    status: 404,
  },
  {
    name: 'capitalised /API/auth/login',
    method: 'POST',
    path: '/API/auth/login',
    auth: 'none',
    ...order({ email: 'a@b.test', password: 'x' }),
    status: 404,
  },
  {
    name: 'capitalised /api/AUTH/LOGIN',
    method: 'POST',
    path: '/api/AUTH/LOGIN',
    auth: 'none',
    ...order({ email: 'a@b.test', password: 'x' }),
    status: 404,
  },
  { name: 'capitalised /API/products as admin', ...newProduct({}), path: '/API/products', status: 404 },
  {
    name: 'capitalised /API/orders/:id',
    method: 'GET',
    path: '/API/orders/00000000-0000-4000-8000-000000000000',
    auth: 'none',
    status: 404,
  },
  { name: 'capitalised /API/cart/items/1', method: 'DELETE', path: '/API/cart/items/1', auth: 'none', status: 404 },
  { name: 'trailing slash without a token', method: 'GET', path: '/api/cart/', auth: 'none', status: 401 },
  { name: 'double leading slash', method: 'GET', path: '//api/cart', auth: 'none', status: 404 },
  { name: 'double inner slash', method: 'GET', path: '/api//cart', auth: 'none', status: 404 },
  { name: 'percent-encoded prefix', method: 'GET', path: '/%61pi/cart', auth: 'none', status: 404 },
  { name: 'percent-encoded resource', method: 'GET', path: '/api/%63art', auth: 'none', status: 404 },
  { name: 'dot segment', method: 'GET', path: '/api/products/../cart', auth: 'none', status: 401 },
  // fetch resolves the encoded dot segment to /api/cart before sending, as browsers do
  { name: 'encoded dot segment', method: 'GET', path: '/api/products/%2e%2e/cart', auth: 'none', status: 401 },
  { name: 'matrix parameter', method: 'GET', path: '/api/cart;admin=true', auth: 'none', status: 404 },
  { name: 'platform path under /api', method: 'GET', path: '/api/metrics', auth: 'none', status: 404 },
  // control characters and text that is not text (issue 15: a NUL byte once answered a 500)
  { name: 'register name with a NUL byte', ...register({ name: 'Ana\u0000' }), status: 400, field: '/name' },
  { name: 'register name with a bell', ...register({ name: 'Ana\u0007' }), status: 400, field: '/name' },
  { name: 'register name with a line break', ...register({ name: 'Ana\nBeatriz' }), status: 400, field: '/name' },
  { name: 'register name with a C1 control', ...register({ name: 'Ana\u0085' }), status: 400, field: '/name' },
  { name: 'register name with a lone surrogate', ...register({ name: 'Ana\ud800' }), status: 400, field: '/name' },
  { name: 'register name only spaces', ...register({ name: '   ' }), status: 400, field: '/name' },
  {
    name: 'register password with a NUL byte',
    ...register({ password: 'senha-forte\u0000' }),
    status: 400,
    field: '/password',
  },
  { name: 'register email with a NUL byte', ...register({ email: 'a\u0000@b.test' }), status: 400, field: '/email' },
  {
    name: 'register email with a CRLF',
    ...register({ email: 'a@b.test\r\nBcc: c@d.test' }),
    status: 400,
    field: '/email',
  },
  {
    name: 'login password with a NUL byte',
    method: 'POST',
    path: '/api/auth/login',
    auth: 'none',
    ...order({ email: 'a@b.test', password: 'x\u0000' }),
    status: 400,
    field: '/password',
  },
  { name: 'product name with a NUL byte', ...newProduct({ name: 'Bolo\u0000' }), status: 400, field: '/name' },
  {
    name: 'product description with a NUL byte',
    ...newProduct({ description: 'doce\u0000' }),
    status: 400,
    field: '/description',
  },
  {
    name: 'product description with an escape sequence',
    ...newProduct({ description: '\u001b[31mvermelho' }),
    status: 400,
    field: '/description',
  },
  {
    name: 'category query with a NUL byte',
    method: 'GET',
    path: '/api/products?category=%00',
    auth: 'none',
    status: 400,
  },
  { name: 'product id with a NUL byte', method: 'GET', path: '/api/products/1%00', auth: 'none', status: 400 },
  {
    name: 'register with a most common password',
    ...register({ password: 'senha123' }),
    status: 400,
    field: '/password',
  },
  {
    name: 'register with a common password in capitals',
    ...register({ password: 'PASSWORD123' }),
    status: 400,
    field: '/password',
  },
  // huge and odd numbers
  {
    name: 'quantity beyond a double',
    ...order(''),
    body: '{"items":[{"productId":1,"quantity":1e400}]}',
    status: 400,
    field: '/items/0/quantity',
  },
  {
    name: 'productId in exponent form',
    ...order(''),
    body: '{"items":[{"productId":1e10,"quantity":1}]}',
    status: 400,
    field: '/items/0/productId',
  },
  {
    name: 'negative zero quantity',
    ...order(''),
    body: '{"items":[{"productId":1,"quantity":-0}]}',
    status: 400,
    field: '/items/0/quantity',
  },
  { name: 'price beyond the limit', ...newProduct({ priceCents: 100_000_001 }), status: 400, field: '/priceCents' },
  { name: 'price fractional', ...newProduct({ priceCents: 9.99 }), status: 400, field: '/priceCents' },
  { name: 'price beyond 2^53', ...newProduct({ priceCents: 2 ** 60 }), status: 400, field: '/priceCents' },
  { name: 'stock beyond the limit', ...newProduct({ stock: 1_000_001 }), status: 400, field: '/stock' },
  {
    name: 'page beyond the limit',
    method: 'GET',
    path: '/api/products?page=100000000000000000000',
    auth: 'none',
    status: 400,
  },
  { name: 'page size negative', method: 'GET', path: '/api/products?pageSize=-1', auth: 'none', status: 400 },
  {
    name: 'product id in hex beyond int32',
    method: 'GET',
    path: '/api/products/0xffffffffff',
    auth: 'none',
    status: 400,
  },
  // headers a client should not be able to use
  {
    name: 'impersonation: x-user-id without a token',
    method: 'GET',
    path: '/api/cart',
    auth: 'none',
    headers: { 'x-user-id': '00000000-0000-4000-8000-000000000001', 'x-user-role': 'admin' },
    status: 401,
  },
  {
    name: 'impersonation: x-user-role admin with a customer token',
    ...newProduct({}),
    auth: 'customer',
    headers: { 'x-user-role': 'admin' },
    status: 403,
  },
  {
    name: 'impersonation: X-User-Id in capitals',
    method: 'GET',
    path: '/api/orders',
    auth: 'none',
    headers: { 'X-User-Id': '00000000-0000-4000-8000-000000000001' },
    status: 401,
  },
  {
    name: 'idempotency key with a space',
    ...line({ productId: 1, quantity: 1 }),
    headers: { 'idempotency-key': 'a b' },
    status: 400,
  },
  {
    name: 'idempotency key too long',
    ...line({ productId: 1, quantity: 1 }),
    headers: { 'idempotency-key': 'k'.repeat(201) },
    status: 400,
  },
  {
    name: 'multipart body',
    ...line({ productId: 1, quantity: 1 }),
    contentType: 'multipart/form-data; boundary=x',
    status: 415,
  },
  { name: 'bearer with two tokens', method: 'GET', path: '/api/cart', auth: 'Bearer a.b.c d.e.f', status: 401 },
  {
    name: 'oversized bearer token',
    method: 'GET',
    path: '/api/cart',
    auth: `Bearer ${'a'.repeat(8_000)}.b.c`,
    status: 401,
  },
  // token forgeries
  {
    name: 'token with its own embedded jwk',
    method: 'GET',
    path: '/api/cart',
    auth: `Bearer ${selfKeyedToken({})}`,
    status: 401,
  },
  {
    name: 'token pointing at its own key set (jku)',
    method: 'GET',
    path: '/api/cart',
    auth: `Bearer ${selfKeyedToken({ jku: 'http://127.0.0.1:1/jwks.json' })}`,
    status: 401,
  },
  {
    name: 'token with a path-traversal kid',
    method: 'GET',
    path: '/api/cart',
    auth: `Bearer ${selfKeyedToken({ kid: '../../../dev/null' })}`,
    status: 401,
  },
  {
    name: 'HS256 token with an empty secret',
    method: 'GET',
    path: '/api/cart',
    auth: `Bearer ${hmacToken('')}`,
    status: 401,
  },
  {
    name: 'HS256 token with a guessable secret',
    method: 'GET',
    path: '/api/cart',
    auth: `Bearer ${hmacToken('secret')}`,
    status: 401,
  },
  {
    name: 'token with an empty signature',
    method: 'GET',
    path: '/api/cart',
    auth: `Bearer ${b64({ alg: 'ES256', typ: 'JWT' })}.${b64(claims)}.`,
    status: 401,
  },
  // routing
  { name: 'unknown route', method: 'GET', path: '/api/nothing-here', auth: 'none', status: 404 },
  { name: 'wrong method', method: 'DELETE', path: '/api/orders', status: 405 },
];

for (const entry of cases) {
  const name = typeof entry === 'function' ? 'token with a tampered role' : entry.name;
  test(`bad input → 4xx problem+json, never a 5xx: ${name}`, async () => {
    const c = typeof entry === 'function' ? entry() : entry;
    const headers: Record<string, string> = {};
    Object.assign(headers, c.headers);
    if (c.contentType) headers['content-type'] = c.contentType;
    const auth = c.auth ?? 'customer';
    if (auth === 'customer') headers.authorization = `Bearer ${customerToken}`;
    else if (auth === 'admin') headers.authorization = `Bearer ${adminToken}`;
    else if (auth !== 'none') headers.authorization = auth;
    const response = await fetch(`${gatewayUrl}${c.path ?? '/api/orders'}`, {
      method: c.method ?? 'POST',
      headers,
      body: c.body,
    });
    const text = await response.text();
    assert.equal(response.status, c.status, text);
    assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
    const problem = JSON.parse(text) as { status: number; errors?: { field: string }[] };
    assert.equal(problem.status, c.status);
    if (c.field)
      assert.ok(
        problem.errors?.some((e) => e.field === c.field),
        `names ${c.field}: ${text}`,
      );
  });
}

test('the table holds at least a hundred hostile requests', () => {
  assert.ok(cases.length >= 100, `${cases.length} cases`);
});

// Last in the file (node runs a file's tests in order): no privilege gained, no data changed.
test('the hostile requests changed nothing: catalogue, cart and orders read the same, no account was created', async () => {
  assert.equal(await observed(), observedBefore, 'the hostile requests changed what the API shows');
  for (const account of hostileAccounts) {
    const login = await politely('POST', '/api/auth/login', { body: account, from: clientAddress() });
    assert.equal(login.status, 401, `${account.email} exists: ${JSON.stringify(login.body)}`);
  }
});
