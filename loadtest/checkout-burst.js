// A checkout burst on the last units of stock: an admin puts STOCK (default 20) units of a fresh
// product on sale, then every iteration tries to buy one. Exactly STOCK orders may be CONFIRMED, the
// rest CANCELLED(OUT_OF_STOCK): never oversold (the auditor checks it from the ledger).
// `npm run loadtest -- <profile> --script checkout-burst`.
import { check, fail } from 'k6';
import { scenariosFor, shopperCount } from './lib/profiles.js';
import { adminProduct, buyOne, registerShoppers, setupDone } from './lib/shop.js';

export const options = {
  scenarios: scenariosFor('smoke'),
  thresholds: {
    http_req_failed: ['rate<0.01'],
    'http_req_duration{name:POST /api/orders}': ['p(95)<800'],
    order_settled: ['rate>0.99'],
    checks: ['rate>0.99'],
  },
};

export function setup() {
  const data = { shoppers: registerShoppers(shopperCount()), product: adminProduct(Number(__ENV.STOCK || 20)) };
  setupDone();
  return data;
}

export default function (data) {
  const shopper = data.shoppers[(__VU - 1) % data.shoppers.length];
  if (!shopper) fail('no shopper');
  const status = buyOne(shopper, data.product.id);
  check(status, { 'order settled as CONFIRMED or OUT_OF_STOCK': (s) => s === 'CONFIRMED' || s === 'CANCELLED' });
}
