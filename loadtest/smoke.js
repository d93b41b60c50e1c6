// k6 smoke test: a few shoppers walk the whole journey through the gateway — browse, open a product,
// add it to the cart, check out from the cart, and poll the order until the saga settles.
// Run it with `npm run loadtest -- smoke` (the stack must be up); BASE_URL points at the gateway.
// Every request carries its own W3C `traceparent`, so a slow request can be looked up by trace id, and
// every accepted order id is logged to the client ledger the auditor checks ("nothing lost").
import { fail, sleep } from 'k6';
import { journey, registerShoppers } from './lib/shop.js';

export const options = {
  scenarios: {
    smoke: { executor: 'constant-vus', vus: Number(__ENV.VUS || 3), duration: __ENV.DURATION || '20s' },
  },
  thresholds: {
    http_req_failed: ['rate<0.01'],
    'http_req_duration{name:GET /api/products}': ['p(95)<500'],
    'http_req_duration{name:POST /api/orders}': ['p(95)<800'],
    order_settled: ['rate>0.99'],
    checks: ['rate>0.99'],
  },
};

export function setup() {
  return { shoppers: registerShoppers(Number(__ENV.VUS || 3)) };
}

export default function (data) {
  const shopper = data.shoppers[(__VU - 1) % data.shoppers.length];
  if (!shopper) fail('no shopper');
  journey(shopper);
  sleep(0.2);
}
