import './support/telemetry';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type GatewayUnderTest, startGatewayUnderTest } from './support/gateway-under-test';

let gw: GatewayUnderTest;
before(async () => {
  gw = await startGatewayUnderTest({ TRUST_PROXY_HOPS: 1, RATE_LIMIT_RPS: 0.5, RATE_LIMIT_BURST: 3 });
});
after(() => gw.stop());

test('behind one trusted proxy, the client is the entry that proxy appended, whatever the client put left of it', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 5; i++) {
    // The client invents a fresh left-most address every time; the proxy appends the real one.
    const headers = { 'x-forwarded-for': `10.9.${i}.${i}, 203.0.113.7` };
    statuses.push((await gw.call('/api/categories', { headers })).status);
  }
  assert.deepEqual(statuses.slice(0, 3), [200, 200, 200]);
  assert.equal(statuses.at(-1), 429, 'one bucket for 203.0.113.7, however the left entries vary');
  const other = await gw.call('/api/categories', { headers: { 'x-forwarded-for': '203.0.113.8' } });
  assert.equal(other.status, 200, 'another client behind the same proxy has a budget of its own');
});
