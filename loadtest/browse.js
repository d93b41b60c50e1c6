// Read-heavy browsing: anonymous visitors list categories and products, filter, page, and open
// product pages — the traffic the catalog replicas and the gateway's retries exist for.
// `npm run loadtest -- <profile> --script browse`. With ADMIN_RATE (lib/profiles.js) an admin also sets
// shelf products' stock, so a scenario on the catalog can tell whether its write path holds.

import { sleep } from 'k6';
import { scenariosFor } from './lib/profiles.js';
import { adminStockWrite, browse, restockShelves, setupDone } from './lib/shop.js';

export const options = {
  scenarios: scenariosFor('smoke'),
  thresholds: {
    http_req_failed: ['rate<0.01'],
    'http_req_duration{name:GET /api/products}': ['p(95)<300', 'p(99)<800'],
    'http_req_duration{name:GET /api/products/:id}': ['p(95)<300'],
    checks: ['rate>0.99'],
  },
};

export function setup() {
  const shelf = Number(__ENV.ADMIN_RATE || 0) > 0 ? restockShelves() : undefined;
  setupDone();
  return shelf;
}

export function adminWrite(data) {
  adminStockWrite(data);
}

export default function () {
  browse();
  // Constant-VU profiles would otherwise loop flat out and meet the gateway's per-client rate limit
  // (200 req/s per IP, and every k6 visitor is 127.0.0.1); arrival-rate profiles set the pace themselves.
  if ((__ENV.PROFILE || 'smoke') === 'smoke') sleep(0.5);
}
