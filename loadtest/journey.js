// The shopper journey: browse, open a product, add it to the cart, check out from the cart, and poll
// the order until the saga settles. `npm run loadtest -- <profile>` (default smoke; see
// lib/profiles.js), the stack must be up; BASE_URL points at the gateway.
// Every request carries its own W3C `traceparent`, so a slow request can be looked up by trace id, and
// every accepted order id is logged to the client ledger the auditor checks ("nothing lost").
// With ADMIN_RATE (lib/profiles.js) an admin sets shelf products' stock beside the shoppers.
// With SHOPPERS=N each VU logs in as one of N seeded shoppers (`npm run stack -- shoppers N`) instead of
// signing up: the crowd and staircase profiles measure shopping, not registration.
import { sleep } from 'k6';
import { scenariosFor, staircaseThresholds, vusArePeople } from './lib/profiles.js';
import {
  adminStockWrite,
  crowdShopper,
  journey,
  registerShoppers,
  restockShelves,
  setupDone,
  shedReasons,
  think,
} from './lib/shop.js';

const routes = [
  'GET /api/products',
  'GET /api/products/:id',
  'POST /api/cart/items',
  'POST /api/orders',
  'GET /api/orders/:id',
  'POST /api/auth/login',
];
const statuses = [0, 200, 201, 202, 204, 400, 401, 403, 404, 409, 422, 429, 500, 502, 503, 504];

export const options = {
  scenarios: scenariosFor('smoke'),
  thresholds: {
    http_req_failed: ['rate<0.01'],
    'http_req_duration{name:GET /api/products}': ['p(95)<500'],
    'http_req_duration{name:POST /api/orders}': ['p(95)<800'],
    order_settled: ['rate>0.99'],
    checks: ['rate>0.99'],
    ...staircaseThresholds(routes, statuses, shedReasons),
  },
};

export function setup() {
  const shelf = restockShelves();
  setupDone();
  return shelf;
}

export function adminWrite(data) {
  adminStockWrite(data);
}

// One shopper per VU, signed in on its first iteration: a person does not run two checkouts of one
// cart at once, and two VUs sharing a cart would see each other's items come and go.
let shopper;
const seeded = Number(__ENV.SHOPPERS || 0);

export default function () {
  if (!shopper) shopper = seeded > 0 ? crowdShopper(((__VU - 1) % seeded) + 1) : registerShoppers(1)[0];
  journey(shopper);
  if (vusArePeople()) think();
  else if ((__ENV.PROFILE || 'smoke') === 'smoke') sleep(0.2);
}
