import { join } from 'node:path';
import { configure, createHttpService, openDatabase, type RunningService, startMessaging } from '@confeitaria/platform';
import { type Config, configSchema } from './config';
import { catalogPriceSnapshot } from './domain/price-snapshot';
import { orderRoutes } from './http/order-routes';
import { sagaConsumers } from './messaging/saga-consumers';

export const service = 'orders';
const migrations = join(__dirname, '..', '..', 'migrations');

/** Wires the orders service: database, broker, saga consumers, outbox relay and HTTP routes. */
export async function start(overrides: Partial<Config> = {}): Promise<RunningService> {
  const { config, logger } = configure(service, configSchema, overrides);

  const pool = await openDatabase({
    connectionString: config.DATABASE_URL,
    logger,
    migrations,
    platformTables: ['outbox', 'inbox'],
  });
  const messaging = await startMessaging({
    amqpUrl: config.AMQP_URL,
    logger,
    consumers: sagaConsumers(pool),
    outbox: pool,
  });

  const http = createHttpService({
    service,
    logger,
    router: orderRoutes(pool, catalogPriceSnapshot(config.CATALOG_URLS, config.CATALOG_TIMEOUT_MS)),
    // The broker is not a readiness dependency: a broker outage only delays the saga (outbox, durable
    // queues), and taking the service out of rotation would turn that delay into refused requests.
    readiness: { postgres: () => pool.query('SELECT 1') },
    liveness: { messaging: () => messaging.liveness() },
  });
  const port = await http.listen(config.PORT, config.HOST);

  return {
    port,
    async stop() {
      await http.close();
      await messaging.stop();
      await pool.end();
    },
  };
}
