import { join } from 'node:path';
import { Broker, configure, createHttpService, openDatabase, type RunningService } from '@confeitaria/platform';
import { type Config, configSchema } from './config';
import { notificationRoutes } from './http/notification-routes';
import { orderCreatedConsumer } from './messaging/order-created-consumer';

export const service = 'notifications';
const migrations = join(__dirname, '..', '..', 'migrations');

/** Wires the notifications service: database, the order event consumer, and a read route. */
export async function start(overrides: Partial<Config> = {}): Promise<RunningService> {
  const { config, logger } = configure(service, configSchema, overrides);

  const pool = await openDatabase(config.DATABASE_URL, migrations);
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

  return {
    port,
    async stop() {
      await http.close();
      await broker.stop();
      await pool.end();
    },
  };
}
