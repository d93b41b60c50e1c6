import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { test } from 'node:test';
import pg from 'pg';
import { call, eventually, metric, replicaUrl, startCatalog } from './catalog-harness';

const fallbacks = 'catalog_read_fallbacks_total';
const available = 'catalog_replica_available';

test('with the replica unreachable, reads fall back to the primary and the service stays ready', async () => {
  const catalog = await startCatalog({
    DATABASE_REPLICA_URL: 'postgres://catalog:catalog@127.0.0.1:1/catalog',
  });
  try {
    const before = await metric(catalog.base, fallbacks);
    const list = await call(catalog.base, '/products?pageSize=5');
    assert.equal(list.status, 200);
    assert.equal(list.body.items.length, 5);
    assert.equal((await call(catalog.base, '/products/1')).status, 200);
    assert.equal((await call(catalog.base, '/categories')).status, 200);
    assert.ok((await metric(catalog.base, fallbacks)) >= before + 3);
    assert.equal(await metric(catalog.base, available), 0);
    const ready = await call(catalog.base, '/readyz');
    assert.equal(ready.status, 200, JSON.stringify(ready.body));
  } finally {
    await catalog.service.stop();
  }
});

/** A TCP relay to the replica that the test can cut and restore, like a proxy being disabled. */
class ReplicaLink {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  connections = 0;
  port = 0;

  async open(): Promise<void> {
    this.server = createServer((client) => {
      this.connections += 1;
      const upstream = createConnection({ host: '127.0.0.1', port: 15433 });
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('error', () => {});
        socket.on('close', () => {
          this.sockets.delete(socket);
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    this.server.listen(this.port, '127.0.0.1');
    await once(this.server, 'listening');
    this.port = (this.server.address() as AddressInfo).port;
  }

  async cut(): Promise<void> {
    const closed = new Promise((resolve) => this.server?.close(resolve));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}

test('reads move to the primary while the replica link is cut, and back to the replica once it heals', async () => {
  const link = new ReplicaLink();
  await link.open();
  const catalog = await startCatalog({
    DATABASE_REPLICA_URL: `postgres://catalog:catalog@127.0.0.1:${link.port}/catalog`,
    REPLICA_RETRY_MS: 200,
  });
  try {
    const healthy = await metric(catalog.base, fallbacks);
    assert.equal((await call(catalog.base, '/products?pageSize=3')).status, 200);
    assert.ok(link.connections > 0, 'the read did not go through the replica');
    assert.equal(await metric(catalog.base, fallbacks), healthy);
    assert.equal(await metric(catalog.base, available), 1);

    await link.cut();
    for (let index = 0; index < 5; index += 1) {
      assert.equal((await call(catalog.base, `/products?page=${index + 1}&pageSize=3`)).status, 200);
    }
    const degraded = await metric(catalog.base, fallbacks);
    assert.ok(degraded >= healthy + 5, `${degraded - healthy} fallbacks`);
    assert.equal(await metric(catalog.base, available), 0);

    await link.open();
    await eventually(
      () => metric(catalog.base, available),
      (value) => value === 1,
    );
    // Scrapes read stock too (catalog_stock), so count from the moment the replica is back.
    const recovered = await metric(catalog.base, fallbacks);
    assert.equal((await call(catalog.base, '/products?pageSize=3')).status, 200);
    assert.equal((await call(catalog.base, '/categories')).status, 200);
    assert.equal(await metric(catalog.base, fallbacks), recovered, 'reads still fall back after recovery');
  } finally {
    await catalog.service.stop();
    await link.cut();
  }
});

test('a replica that accepts connections but never answers costs a read no more than the replica timeout', async () => {
  const held = new Set<Socket>();
  const blackhole = createServer((socket) => {
    held.add(socket);
    socket.on('error', () => {});
  });
  blackhole.listen(0, '127.0.0.1');
  await once(blackhole, 'listening');
  const { port } = blackhole.address() as AddressInfo;
  const catalog = await startCatalog({
    DATABASE_REPLICA_URL: `postgres://catalog:catalog@127.0.0.1:${port}/catalog`,
    REPLICA_TIMEOUT_MS: 300,
  });
  try {
    const started = Date.now();
    const reply = await call(catalog.base, '/products/1');
    const elapsed = Date.now() - started;
    assert.equal(reply.status, 200);
    assert.ok(elapsed < 2_000, `the read took ${elapsed} ms`);
    assert.equal(await metric(catalog.base, available), 0);
  } finally {
    await catalog.service.stop();
    for (const socket of held) socket.destroy();
    blackhole.close();
  }
});

test('when the replica drops every connection while they are idle (its crash), reads fall back and later return to it', async () => {
  const catalog = await startCatalog({ REPLICA_RETRY_MS: 1_000 });
  const admin = new pg.Client({ connectionString: replicaUrl });
  admin.on('error', () => {});
  await admin.connect();
  try {
    assert.equal((await call(catalog.base, '/products?pageSize=3')).status, 200);
    assert.equal(await metric(catalog.base, available), 1);
    // The server ends the idle sessions (FATAL 57P01), as a crashing replica does: the pool sees it
    // before any read fails, so the router must notice from the replica's state, not from a read.
    await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = 'catalog' AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
    );
    await eventually(
      async () => {
        assert.equal((await call(catalog.base, '/products?pageSize=3')).status, 200);
        return metric(catalog.base, available);
      },
      (value) => value === 0,
    );
    await eventually(
      () => metric(catalog.base, available),
      (value) => value === 1,
    );
  } finally {
    await admin.end();
    await catalog.service.stop();
  }
});
