// k6 smoke test: a few virtual users place orders through the gateway and read them back.
// Run it with `npm run loadtest -- smoke` (the stack must be up); BASE_URL points at the gateway.
// Every request carries its own W3C `traceparent`, so a slow or failed request can be looked up in
// the traces by the trace id k6 logged for it.
import { check, sleep } from 'k6';
import http from 'k6/http';
import { randomTraceparent } from './lib/traceparent.js';

const baseUrl = __ENV.BASE_URL || 'http://127.0.0.1:18080';

export const options = {
  scenarios: {
    smoke: { executor: 'constant-vus', vus: Number(__ENV.VUS || 3), duration: __ENV.DURATION || '20s' },
  },
  thresholds: {
    http_req_failed: ['rate<0.01'],
    'http_req_duration{name:POST /api/orders}': ['p(95)<500'],
    'http_req_duration{name:GET /api/orders/:id}': ['p(95)<300'],
    checks: ['rate>0.99'],
  },
};

export default function () {
  const body = JSON.stringify({
    items: [{ productId: 1 + Math.floor(Math.random() * 30), quantity: 1 + Math.floor(Math.random() * 3) }],
  });
  const created = http.post(`${baseUrl}/api/orders`, body, {
    headers: { 'Content-Type': 'application/json', traceparent: randomTraceparent() },
    tags: { name: 'POST /api/orders' },
  });
  check(created, {
    'order accepted (202)': (r) => r.status === 202,
    'Location header set': (r) => Boolean(r.headers.Location),
  });
  if (created.status === 202) {
    const id = created.json('id');
    const read = http.get(`${baseUrl}/api/orders/${id}`, {
      headers: { traceparent: randomTraceparent() },
      tags: { name: 'GET /api/orders/:id' },
    });
    check(read, { 'order readable (200)': (r) => r.status === 200 && r.json('id') === id });
  }
  sleep(0.2);
}
