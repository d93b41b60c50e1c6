import { join } from 'node:path';
import {
  Broker,
  createHttpService,
  createLogger,
  createPool,
  loadConfig,
  maskSecrets,
  migrate,
  OutboxRelay,
  type RunningService,
} from '@confeitaria/platform';
import { type Config, configSchema } from './config';
import { orderRoutes } from './http/order-routes';

export const service = 'orders';
const migrations = join(__dirname, '..', '..', 'migrations');

/** Wires the orders service: database, broker, outbox relay and HTTP routes. */
export async function start(overrides: Partial<Config> = {}): Promise<RunningService> {
  const config = { ...loadConfig(configSchema), ...overrides };
  const logger = createLogger(service, config.LOG_LEVEL);
  logger.info({ config: maskSecrets(config) }, 'starting');

  const pool = createPool(config.DATABASE_URL);
  await migrate(pool, migrations);
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
  logger.info({ port }, 'listening');

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
