import { join } from 'node:path';
import { configure, createHttpService, openDatabase, type RunningService, startMessaging } from '@confeitaria/platform';
import { type Config, configSchema } from './config';
import { ReadRouter } from './data/read-router';
import { catalogRoutes } from './http/catalog-routes';
import { orderCancelledConsumer } from './messaging/order-cancelled-consumer';
import { orderConfirmedConsumer } from './messaging/order-confirmed-consumer';
import { orderCreatedConsumer } from './messaging/order-created-consumer';
import { observeStock } from './metrics/catalog-metrics';

export const service = 'catalog';
const migrations = join(__dirname, '..', '..', 'migrations');

/**
 * Wires the catalog: the primary (migrations, writes, the saga) and the read replica behind a read
 * router, the saga's consumers and the outbox relay, and the HTTP routes. Several instances run at
 * once on one database; everything they share is guarded by row locks, the inbox and the outbox.
 */
export async function start(overrides: Partial<Config> = {}): Promise<RunningService> {
  const { config, logger } = configure(service, configSchema, overrides);

  const primary = await openDatabase({
    connectionString: config.DATABASE_URL,
    logger,
    migrations,
    platformTables: ['outbox', 'inbox'],
  });
  const read = new ReadRouter(
    primary,
    { replicaUrl: config.DATABASE_REPLICA_URL, retryMs: config.REPLICA_RETRY_MS, timeoutMs: config.REPLICA_TIMEOUT_MS },
    logger,
  );
  observeStock(async () => {
    const { rows } = await read.query<{ id: number; stock: number }>(
      'SELECT id, stock FROM products ORDER BY id LIMIT 100',
    );
    return rows;
  });

  const messaging = await startMessaging({
    amqpUrl: config.AMQP_URL,
    logger,
    consumers: [
      orderCreatedConsumer(primary, logger),
      orderConfirmedConsumer(primary, logger),
      orderCancelledConsumer(primary, logger),
    ],
    outbox: primary,
  });

  const http = createHttpService({
    service,
    logger,
    router: catalogRoutes(read, primary),
    // Ready while reads can be served (the replica, or the primary when the replica is down): most of
    // what the catalog owns is reads, and the replica serves them through a primary outage. The broker
    // is left out: the outbox holds the saga's events until it returns (docs/resilience.md).
    readiness: { reads: () => read.check() },
    liveness: { messaging: () => messaging.liveness() },
  });
  const port = await http.listen(config.PORT, config.HOST);

  return {
    port,
    async stop() {
      await http.close();
      // Handlers under way commit before their pool goes (messaging.stop waits for them).
      await messaging.stop();
      observeStock(undefined);
      await read.stop();
      await primary.end();
    },
  };
}
