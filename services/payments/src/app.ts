import { join } from 'node:path';
import { configure, createHttpService, openDatabase, type RunningService, startMessaging } from '@confeitaria/platform';
import { type Config, configSchema } from './config';
import { SimulatedProvider } from './domain/payment-provider';
import { paymentRoutes } from './http/payment-routes';
import { stockReservedConsumer } from './messaging/stock-reserved-consumer';

export const service = 'payments';
const migrations = join(__dirname, '..', '..', 'migrations');

/** Wires payments: database, the simulated provider, the stock.reserved consumer, the outbox relay, a read route. */
export async function start(overrides: Partial<Config> = {}): Promise<RunningService> {
  const { config, logger } = configure(service, configSchema, overrides);

  const pool = await openDatabase({
    connectionString: config.DATABASE_URL,
    logger,
    migrations,
    platformTables: ['outbox', 'inbox'],
  });
  const provider = new SimulatedProvider({
    seed: config.PAYMENT_SEED,
    declineRate: config.PAYMENT_DECLINE_RATE,
    latencyMs: config.PAYMENT_LATENCY_MS,
    jitterMs: config.PAYMENT_LATENCY_JITTER_MS,
  });
  const messaging = await startMessaging({
    amqpUrl: config.AMQP_URL,
    logger,
    consumers: [stockReservedConsumer(pool, provider, logger)],
    outbox: pool,
  });

  const http = createHttpService({
    service,
    logger,
    router: paymentRoutes(pool),
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
