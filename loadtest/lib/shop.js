// The shopper journey and its helpers, shared by the k6 scripts.
import { check, fail, sleep } from 'k6';
import { SharedArray } from 'k6/data';
import exec from 'k6/execution';
import http from 'k6/http';
import { Counter, Rate } from 'k6/metrics';
import { stepAt, thinkSeconds, vusArePeople } from './profiles.js';
import { randomTraceparent } from './traceparent.js';
import { deadlineIn, setupRetrySeconds, untilNotTransient } from './transient-retry.js';

export const baseUrl = __ENV.BASE_URL || 'http://127.0.0.1:18080';
/** Share of accepted orders that reached CONFIRMED or CANCELLED within the polling window. */
export const orderSettled = new Rate('order_settled');
/** Orders answered 202, and orders seen CONFIRMED or CANCELLED (counts, for the staircase's steps). */
const ordersAccepted = new Counter('orders_accepted');
const ordersSettled = new Counter('orders_settled');
/** 429 and 503 answers, by the problem's `reason` (`unavailable` when it names none: a dependency is down). */
const shedResponses = new Counter('shed_responses');
/** Times a shopper waited out a Retry-After and asked again. */
const retryAfterWaits = new Counter('retry_after_waits');

/** Every reason a 429/503 may carry (services/platform/src/http/admission.ts), and `unavailable`. */
export const shedReasons = [
  'rate_limited',
  'login_throttled',
  'hashing_busy',
  'saga_behind',
  'at_capacity',
  'unavailable',
];

/** Tags what the VU measures next with the staircase step it falls in (not in setup: no scenario yet). */
function tagStep() {
  if (stepAt(0) === undefined) return;
  let step;
  try {
    step = stepAt((Date.now() - exec.scenario.startTime) / 1000);
  } catch {
    return;
  }
  if (step !== undefined) exec.vu.metrics.tags.step = step;
}

const json = (token, name, extra = {}) => {
  tagStep();
  return params(token, name, extra);
};

const params = (token, name, extra) => ({
  headers: {
    'Content-Type': 'application/json',
    traceparent: randomTraceparent(),
    ...(token ? { Authorization: `Bearer ${token}` } : {}),
    ...extra,
  },
  tags: { name },
});

/** A person pausing between two steps (THINK in lib/profiles.js). */
export function think() {
  const seconds = thinkSeconds();
  if (seconds > 0) sleep(seconds);
}

const politeRetries = Number(__ENV.RETRY_AFTER_MAX || 2);

function shedReason(response) {
  try {
    return shedReasons.includes(response.json('reason')) ? response.json('reason') : 'unavailable';
  } catch {
    return 'unavailable';
  }
}

/**
 * Sends a request the way a well-behaved app does: a 429 or 503 that says Retry-After (up to 10 s) is
 * waited out, with up to 50 % jitter so a refused crowd does not return in step, and asked again, up to
 * RETRY_AFTER_MAX (2) times. Every refusal still counts as a failed request in k6's figures (a shed
 * request is a failure to serve), and by reason in `shed_responses`.
 */
function politely(send) {
  for (let attempt = 0; ; attempt++) {
    const response = send();
    if (response.status !== 429 && response.status !== 503) return response;
    shedResponses.add(1, { reason: shedReason(response) });
    const wait = Number(response.headers['Retry-After']);
    if (attempt >= politeRetries || !(wait >= 0 && wait <= 10)) return response;
    retryAfterWaits.add(1);
    sleep(wait * (1 + Math.random() * 0.5));
  }
}

/** The password of every seeded crowd shopper (`npm run stack -- shoppers`): test data, not a secret. */
export const crowdPassword = __ENV.CROWD_PASSWORD || 'confeitaria-crowd';
/** The e-mail of seeded crowd shopper `n` (1-based). */
export const crowdEmail = (n) => `shopper-${n}@crowd.confeitaria.test`;

/**
 * Tokens of shoppers signed in before the run (CROWD_TOKENS: a JSON array, shopper n's at n − 1, written
 * by stack/src/shoppers.ts `signInShoppers`): returning customers whose session is still open. One
 * copy shared by every VU.
 */
const crowdTokens = __ENV.CROWD_TOKENS
  ? new SharedArray('crowd tokens', () => JSON.parse(open(__ENV.CROWD_TOKENS)))
  : null;

/**
 * Seeded shopper `n`: with CROWD_TOKENS, signed in already; otherwise logged in now (retried for two
 * minutes, honouring Retry-After: a crowd arriving at once meets identity's hashing queue). Either way a
 * run measures shopping, not sign-up.
 */
export function crowdShopper(n) {
  const token = crowdTokens?.[n - 1];
  if (token) return { token };
  // In a staircase, signing in is arriving, not shopping: measured as step `arrival`, apart from the
  // held steps (a crowd of hundreds arriving in seconds is a login storm the hashing gate sheds).
  if (stepAt(0) !== undefined) exec.vu.metrics.tags.step = 'arrival';
  const login = untilNotTransient(`login of shopper ${n}`, deadlineIn(120), () => {
    const response = http.post(
      `${baseUrl}/api/auth/login`,
      JSON.stringify({ email: crowdEmail(n), password: crowdPassword }),
      params(null, 'POST /api/auth/login', {}),
    );
    if (response.status === 429 || response.status === 503) shedResponses.add(1, { reason: shedReason(response) });
    return response;
  });
  if (login.status !== 200) {
    fail(`login of seeded shopper ${n} failed (${login.status}): seed them with npm run stack -- shoppers <count>`);
  }
  return { token: login.json('accessToken') };
}

/**
 * Registers `count` fresh customers and logs them in; returns their tokens. Transient failures are
 * retried for up to 10 s per shopper; a retried registration that answers 409 had reached the server
 * the first time (the account exists, with this password), so the login goes ahead.
 */
export function registerShoppers(count) {
  const shoppers = [];
  for (let i = 0; i < count; i++) {
    const email = `k6-${Date.now()}-${i}-${Math.floor(Math.random() * 1e9)}@confeitaria.test`;
    const password = 'k6-senha-forte';
    const deadline = deadlineIn(10);
    let retried = false;
    const registered = untilNotTransient('register', deadline, (attempt) => {
      retried = attempt > 1;
      return http.post(
        `${baseUrl}/api/auth/register`,
        JSON.stringify({ email, password, name: `Cliente k6 ${i}` }),
        json(null, 'POST /api/auth/register'),
      );
    });
    if (registered.status !== 201 && !(retried && registered.status === 409)) {
      fail(`register failed: ${registered.status} ${registered.body}`);
    }
    const login = untilNotTransient('login', deadline, () =>
      http.post(`${baseUrl}/api/auth/login`, JSON.stringify({ email, password }), json(null, 'POST /api/auth/login')),
    );
    if (login.status !== 200) fail(`login failed: ${login.status}`);
    shoppers.push({ token: login.json('accessToken') });
  }
  return shoppers;
}

/**
 * Ends setup(): the chaos runner starts its phases when it reads this line in k6's log, so a setup that
 * took long (or failed) never eats into the baseline.
 */
export function setupDone() {
  console.log(JSON.stringify({ setup: 'done' }));
}

/** Records an accepted order id in the client ledger (k6's log, extracted by the runner). */
export function ledger(orderId) {
  console.log(JSON.stringify({ ledger: orderId }));
}

/** Places an order and, once accepted (logged to the ledger), polls it until the saga settles. */
function orderAndWait(shopper, body, key) {
  // The same Idempotency-Key on a retry: an order the shop did take is not placed twice.
  const order = politely(() =>
    http.post(
      `${baseUrl}/api/orders`,
      JSON.stringify(body),
      json(shopper.token, 'POST /api/orders', { 'Idempotency-Key': key }),
    ),
  );
  check(order, { 'order accepted (202)': (r) => r.status === 202 });
  if (order.status !== 202) return undefined;
  const id = order.json('id');
  ledger(id);
  ordersAccepted.add(1);
  let status = 'PENDING';
  for (let attempt = 0; attempt < polls && status === 'PENDING'; attempt++) {
    sleep(pollEvery);
    const read = http.get(`${baseUrl}/api/orders/${id}`, json(shopper.token, 'GET /api/orders/:id'));
    if (read.status === 200) status = read.json('status');
  }
  orderSettled.add(status !== 'PENDING');
  if (status !== 'PENDING') ordersSettled.add(1);
  return status;
}

// A script's order page polls every 0.2 s for 5 s; a person's (crowd, staircase) every 0.5 s for 10 s.
const pollEvery = vusArePeople() ? 0.5 : 0.2;
const polls = vusArePeople() ? 20 : 25;

const orderKey = () => `${__VU}-${__ITER}-${Math.floor(Math.random() * 1e9)}`;

/** Lists a page of products (all or one category); returns the items. */
function listProducts(page, category) {
  const query = `page=${page}&pageSize=10${category ? `&category=${category}` : ''}`;
  const list = politely(() => http.get(`${baseUrl}/api/products?${query}`, json(null, 'GET /api/products')));
  check(list, { 'products listed (200)': (r) => r.status === 200 });
  return list.status === 200 ? list.json('items') : [];
}

/** Browse → product → cart → checkout → poll until the saga settles; a person thinks between steps. */
export function journey(shopper) {
  // A shopper picks from what is on the shelf: a sold-out product offers no "add to cart".
  const items = listProducts(1 + Math.floor(Math.random() * 3)).filter((item) => item.stock > 0);
  const product = items.length ? items[Math.floor(Math.random() * items.length)] : undefined;
  if (!product) return;
  think();
  const read = politely(() => http.get(`${baseUrl}/api/products/${product.id}`, json(null, 'GET /api/products/:id')));
  check(read, { 'product read (200)': (r) => r.status === 200 });
  think();
  const added = politely(() =>
    http.post(
      `${baseUrl}/api/cart/items`,
      JSON.stringify({ productId: product.id, quantity: 1 }),
      json(shopper.token, 'POST /api/cart/items'),
    ),
  );
  check(added, { 'added to cart (200)': (r) => r.status === 200 });
  think();
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

/** The seeded admin's token (ADMIN_EMAIL / ADMIN_PASSWORD, local defaults); retried until `deadline`. */
function adminToken(deadline) {
  const login = untilNotTransient('admin login', deadline, () =>
    http.post(
      `${baseUrl}/api/auth/login`,
      JSON.stringify({
        email: __ENV.ADMIN_EMAIL || 'admin@confeitaria.local',
        password: __ENV.ADMIN_PASSWORD || 'confeitaria-admin',
      }),
      json(null, 'POST /api/auth/login'),
    ),
  );
  if (login.status !== 200) fail(`admin login failed: ${login.status}`);
  return login.json('accessToken');
}

/** A page of the listing for setup: retried until `deadline`, and a failure stops setup. */
function shelfPage(page, deadline) {
  const list = untilNotTransient(`listing page ${page}`, deadline, () =>
    http.get(`${baseUrl}/api/products?page=${page}&pageSize=10`, json(null, 'GET /api/products')),
  );
  if (list.status !== 200) fail(`listing page ${page} failed: ${list.status} ${list.body}`);
  return list.json('items');
}

const stockUnits = 1000;

/**
 * Fills the shelves the journey browses (the first pages of the listing) back up to 1000 units, so a
 * long or repeated run tests checkout rather than a sold-out shop. Restocks are recorded as stock
 * movements, so the auditor's stock sums still balance. Transient failures are retried for
 * SETUP_RETRY_S seconds in all. Returns what the admin writer needs: the token and the shelf's ids.
 */
export function restockShelves() {
  const deadline = deadlineIn(setupRetrySeconds);
  const token = adminToken(deadline);
  const shelf = [];
  for (let page = 1; page <= 3; page++) {
    for (const product of shelfPage(page, deadline)) {
      shelf.push(product.id);
      if (product.stock >= stockUnits / 10) continue;
      const put = untilNotTransient(`restock of product ${product.id}`, deadline, () =>
        http.put(
          `${baseUrl}/api/products/${product.id}/stock`,
          JSON.stringify({ stock: stockUnits }),
          json(token, 'PUT /api/products/:id/stock'),
        ),
      );
      if (put.status !== 200) fail(`restock of product ${product.id} failed: ${put.status} ${put.body}`);
    }
  }
  return { admin: token, shelf };
}

/**
 * One admin stock write of the load (k6 scenario `admin`, ADMIN_RATE per second): a product of the
 * shelf set back to 1000 units. It is what the catalog's write path serves besides the saga, measured
 * as `PUT /api/products/:id/stock`; never retried here (a refused write is the measurement).
 */
export function adminStockWrite(data) {
  const id = data.shelf[Math.floor(Math.random() * data.shelf.length)];
  if (id === undefined) return;
  const put = http.put(
    `${baseUrl}/api/products/${id}/stock`,
    JSON.stringify({ stock: stockUnits }),
    json(data.admin, 'PUT /api/products/:id/stock'),
  );
  check(put, { 'stock written (200)': (r) => r.status === 200 });
}

/** The admin creates a product with `stock` units, for a burst on its last units. */
export function adminProduct(stock) {
  const token = adminToken(deadlineIn(setupRetrySeconds));
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
