import { join } from 'node:path';
import {
  Broker,
  createHttpService,
  createLogger,
  createPool,
  loadConfig,
  maskSecrets,
  migrate,
  type RunningService,
} from '@confeitaria/platform';
import { type Config, configSchema } from './config';
import { notificationRoutes } from './http/notification-routes';
import { orderCreatedConsumer } from './messaging/order-created-consumer';

export const service = 'notifications';
const migrations = join(__dirname, '..', '..', 'migrations');

/** Wires the notifications service: database, the order event consumer, and a read route. */
export async function start(overrides: Partial<Config> = {}): Promise<RunningService> {
  const config = { ...loadConfig(configSchema), ...overrides };
  const logger = createLogger(service, config.LOG_LEVEL);
  logger.info({ config: maskSecrets(config) }, 'starting');

  const pool = createPool(config.DATABASE_URL);
  await migrate(pool, migrations);
  const broker = new Broker(config.AMQP_URL, logger);
  await broker.consume(orderCreatedConsumer(pool, logger));
  void broker.start();

  const http = createHttpService({
    service,
    logger,
    router: notificationRoutes(pool),
    readiness: { postgres: () => pool.query('SELECT 1'), rabbitmq: () => broker.check() },
  });
  const port = await http.listen(config.PORT, config.HOST);
  logger.info({ port }, 'listening');

  return {
    port,
    async stop() {
      await http.close();
      await broker.stop();
      await pool.end();
    },
  };
}
