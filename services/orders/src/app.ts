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

  const pool = await openDatabase(config.DATABASE_URL, migrations, ['outbox', 'inbox']);
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
    readiness: { postgres: () => pool.query('SELECT 1'), rabbitmq: () => messaging.check() },
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
