// The shopper journey: browse, open a product, add it to the cart, check out from the cart, and poll
// the order until the saga settles. `npm run loadtest -- <profile>` (default smoke; see
// lib/profiles.js), the stack must be up; BASE_URL points at the gateway.
// Every request carries its own W3C `traceparent`, so a slow request can be looked up by trace id, and
// every accepted order id is logged to the client ledger the auditor checks ("nothing lost").
// With ADMIN_RATE (lib/profiles.js) an admin sets shelf products' stock beside the shoppers.
import { sleep } from 'k6';
import { scenariosFor } from './lib/profiles.js';
import { adminStockWrite, journey, registerShoppers, restockShelves, setupDone } from './lib/shop.js';

export const options = {
  scenarios: scenariosFor('smoke'),
  thresholds: {
    http_req_failed: ['rate<0.01'],
    'http_req_duration{name:GET /api/products}': ['p(95)<500'],
    'http_req_duration{name:POST /api/orders}': ['p(95)<800'],
    order_settled: ['rate>0.99'],
    checks: ['rate>0.99'],
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

// One shopper per VU, registered on its first iteration: a person does not run two checkouts of one
// cart at once, and two VUs sharing a cart would see each other's items come and go.
let shopper;

export default function () {
  if (!shopper) shopper = registerShoppers(1)[0];
  journey(shopper);
  if ((__ENV.PROFILE || 'smoke') === 'smoke') sleep(0.2);
}
