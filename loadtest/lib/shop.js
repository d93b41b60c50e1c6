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

/** Places an order and, once accepted (logged to the ledger), polls it until the saga settles. */
function orderAndWait(shopper, body, key) {
  const order = http.post(
    `${baseUrl}/api/orders`,
    JSON.stringify(body),
    json(shopper.token, 'POST /api/orders', { 'Idempotency-Key': key }),
  );
  check(order, { 'order accepted (202)': (r) => r.status === 202 });
  if (order.status !== 202) return undefined;
  const id = order.json('id');
  ledger(id);
  let status = 'PENDING';
  for (let attempt = 0; attempt < 25 && status === 'PENDING'; attempt++) {
    sleep(0.2);
    const read = http.get(`${baseUrl}/api/orders/${id}`, json(shopper.token, 'GET /api/orders/:id'));
    if (read.status === 200) status = read.json('status');
  }
  orderSettled.add(status !== 'PENDING');
  return status;
}

const orderKey = () => `${__VU}-${__ITER}-${Math.floor(Math.random() * 1e9)}`;

/** Lists a page of products (all or one category); returns the items. */
function listProducts(page, category) {
  const query = `page=${page}&pageSize=10${category ? `&category=${category}` : ''}`;
  const list = http.get(`${baseUrl}/api/products?${query}`, json(null, 'GET /api/products'));
  check(list, { 'products listed (200)': (r) => r.status === 200 });
  return list.status === 200 ? list.json('items') : [];
}

/** Browse → product → cart → checkout → poll until the saga settles. */
export function journey(shopper) {
  // A shopper picks from what is on the shelf: a sold-out product offers no "add to cart".
  const items = listProducts(1 + Math.floor(Math.random() * 3)).filter((item) => item.stock > 0);
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
  // One order in twenty pays with the card the simulated provider always declines.
  const paymentToken = Math.random() < 0.05 ? 'tok_decline' : 'tok_visa';
  orderAndWait(shopper, { fromCart: true, paymentToken }, orderKey());
}

/** An anonymous visitor: categories, a filtered and paged listing, two product pages. */
export function browse() {
  const categories = http.get(`${baseUrl}/api/categories`, json(null, 'GET /api/categories'));
  check(categories, { 'categories listed (200)': (r) => r.status === 200 });
  const slugs = categories.status === 200 ? categories.json('items').map((c) => c.slug) : [];
  const category = slugs.length && Math.random() < 0.5 ? slugs[Math.floor(Math.random() * slugs.length)] : undefined;
  const items = listProducts(1 + Math.floor(Math.random() * 2), category);
  for (const product of items.slice(0, 2)) {
    check(http.get(`${baseUrl}/api/products/${product.id}`, json(null, 'GET /api/products/:id')), {
      'product read (200)': (r) => r.status === 200,
    });
  }
}

/** The seeded admin's token (ADMIN_EMAIL / ADMIN_PASSWORD, local defaults). */
function adminToken() {
  const login = http.post(
    `${baseUrl}/api/auth/login`,
    JSON.stringify({
      email: __ENV.ADMIN_EMAIL || 'admin@confeitaria.local',
      password: __ENV.ADMIN_PASSWORD || 'confeitaria-admin',
    }),
    json(null, 'POST /api/auth/login'),
  );
  if (login.status !== 200) fail(`admin login failed: ${login.status}`);
  return login.json('accessToken');
}

/**
 * Fills the shelves the journey browses (the first pages of the listing) back up to `units`, so a long
 * or repeated run tests checkout rather than a sold-out shop. Restocks are recorded as stock movements,
 * so the auditor's stock sums still balance.
 */
export function restockShelves(units = 1000) {
  const token = adminToken();
  for (let page = 1; page <= 3; page++) {
    for (const product of listProducts(page)) {
      if (product.stock >= units / 10) continue;
      const put = http.put(
        `${baseUrl}/api/products/${product.id}/stock`,
        JSON.stringify({ stock: units }),
        json(token, 'PUT /api/products/:id/stock'),
      );
      if (put.status !== 200) fail(`restock of product ${product.id} failed: ${put.status} ${put.body}`);
    }
  }
}

/** The admin creates a product with `stock` units, for a burst on its last units. */
export function adminProduct(stock) {
  const token = adminToken();
  const category = http.get(`${baseUrl}/api/categories`, json(null, 'GET /api/categories')).json('items')[0].slug;
  const created = http.post(
    `${baseUrl}/api/products`,
    JSON.stringify({
      name: `Última fatia ${Date.now()}`,
      description: 'k6 checkout burst',
      priceCents: 990,
      category,
      stock,
    }),
    json(token, 'POST /api/products'),
  );
  if (created.status !== 201) fail(`create product failed: ${created.status} ${created.body}`);
  return { id: created.json('id') };
}

/** One unit of `productId`, ordered directly (not from the cart); returns the settled status. */
export function buyOne(shopper, productId) {
  return orderAndWait(shopper, { items: [{ productId, quantity: 1 }], paymentToken: 'tok_visa' }, orderKey());
}
