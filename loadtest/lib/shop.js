// The shopper journey and its helpers, shared by the k6 scripts.
import { check, fail, sleep } from 'k6';
import http from 'k6/http';
import { Rate } from 'k6/metrics';
import { randomTraceparent } from './traceparent.js';

export const baseUrl = __ENV.BASE_URL || 'http://127.0.0.1:18080';
/** Share of accepted orders that reached CONFIRMED or CANCELLED within the polling window. */
export const orderSettled = new Rate('order_settled');

const json = (token, name, extra = {}) => ({
  headers: {
    'Content-Type': 'application/json',
    traceparent: randomTraceparent(),
    ...(token ? { Authorization: `Bearer ${token}` } : {}),
    ...extra,
  },
  tags: { name },
});

/** Registers `count` fresh customers and logs them in; returns their tokens. */
export function registerShoppers(count) {
  const shoppers = [];
  for (let i = 0; i < count; i++) {
    const email = `k6-${Date.now()}-${i}-${Math.floor(Math.random() * 1e9)}@confeitaria.test`;
    const password = 'k6-senha-forte';
    const registered = http.post(
      `${baseUrl}/api/auth/register`,
      JSON.stringify({ email, password, name: `Cliente k6 ${i}` }),
      json(null, 'POST /api/auth/register'),
    );
    if (registered.status !== 201) fail(`register failed: ${registered.status} ${registered.body}`);
    const login = http.post(
      `${baseUrl}/api/auth/login`,
      JSON.stringify({ email, password }),
      json(null, 'POST /api/auth/login'),
    );
    if (login.status !== 200) fail(`login failed: ${login.status}`);
    shoppers.push({ token: login.json('accessToken') });
  }
  return shoppers;
}

/** Records an accepted order id in the client ledger (k6's log, extracted by the runner). */
export function ledger(orderId) {
  console.log(JSON.stringify({ ledger: orderId }));
}

/** Browse → product → cart → checkout → poll until the saga settles. */
export function journey(shopper) {
  const page = 1 + Math.floor(Math.random() * 3);
  const list = http.get(`${baseUrl}/api/products?page=${page}&pageSize=10`, json(null, 'GET /api/products'));
  check(list, { 'products listed (200)': (r) => r.status === 200 });
  const items = list.status === 200 ? list.json('items') : [];
  const product = items.length ? items[Math.floor(Math.random() * items.length)] : undefined;
  if (!product) return;
  check(http.get(`${baseUrl}/api/products/${product.id}`, json(null, 'GET /api/products/:id')), {
    'product read (200)': (r) => r.status === 200,
  });
  const added = http.post(
    `${baseUrl}/api/cart/items`,
    JSON.stringify({ productId: product.id, quantity: 1 }),
    json(shopper.token, 'POST /api/cart/items'),
  );
  check(added, { 'added to cart (200)': (r) => r.status === 200 });
  const key = `${__VU}-${__ITER}-${Math.floor(Math.random() * 1e9)}`;
  // One order in twenty pays with the card the simulated provider always declines.
  const paymentToken = Math.random() < 0.05 ? 'tok_decline' : 'tok_visa';
  const order = http.post(
    `${baseUrl}/api/orders`,
    JSON.stringify({ fromCart: true, paymentToken }),
    json(shopper.token, 'POST /api/orders', { 'Idempotency-Key': key }),
  );
  check(order, { 'order accepted (202)': (r) => r.status === 202 });
  if (order.status !== 202) return;
  const id = order.json('id');
  ledger(id);
  let status = 'PENDING';
  for (let attempt = 0; attempt < 25 && status === 'PENDING'; attempt++) {
    sleep(0.2);
    const read = http.get(`${baseUrl}/api/orders/${id}`, json(shopper.token, 'GET /api/orders/:id'));
    if (read.status === 200) status = read.json('status');
  }
  orderSettled.add(status !== 'PENDING');
}
