import { join } from 'node:path';
import {
  Broker,
  configure,
  createHttpService,
  OutboxRelay,
  openDatabase,
  type RunningService,
} from '@confeitaria/platform';
import { type Config, configSchema } from './config';
import { orderRoutes } from './http/order-routes';

export const service = 'orders';
const migrations = join(__dirname, '..', '..', 'migrations');

/** Wires the orders service: database, broker, outbox relay and HTTP routes. */
export async function start(overrides: Partial<Config> = {}): Promise<RunningService> {
  const { config, logger } = configure(service, configSchema, overrides);

  const pool = await openDatabase(config.DATABASE_URL, migrations);
  const broker = new Broker(config.AMQP_URL, logger);
  void broker.start();
  const relay = new OutboxRelay(pool, broker, logger);
  relay.start();

  const http = createHttpService({
    service,
    logger,
    router: orderRoutes(pool),
    readiness: { postgres: () => pool.query('SELECT 1'), rabbitmq: () => broker.check() },
  });
  const port = await http.listen(config.PORT, config.HOST);

  return {
    port,
    async stop() {
      await http.close();
      await relay.stop();
      await broker.stop();
      await pool.end();
    },
  };
}
