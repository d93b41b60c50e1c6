import { join } from 'node:path';
import { configure, createHttpService, openDatabase, type RunningService, startMessaging } from '@confeitaria/platform';
import { type Config, configSchema } from './config';
import { notificationRoutes } from './http/notification-routes';
import { orderOutcomeConsumer } from './messaging/order-outcome-consumer';

export const service = 'notifications';
const migrations = join(__dirname, '..', '..', 'migrations');

/** Wires the notifications service: database, the order outcome consumer, and a read route. */
export async function start(overrides: Partial<Config> = {}): Promise<RunningService> {
  const { config, logger } = configure(service, configSchema, overrides);

  const pool = await openDatabase({
    connectionString: config.DATABASE_URL,
    logger,
    migrations,
    platformTables: ['inbox'],
  });
  const messaging = await startMessaging({
    amqpUrl: config.AMQP_URL,
    logger,
    consumers: [orderOutcomeConsumer(pool, logger)],
  });

  const http = createHttpService({
    service,
    logger,
    router: notificationRoutes(pool),
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
