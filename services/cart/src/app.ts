import { configure, createHttpService, type RunningService, startMessaging } from '@confeitaria/platform';
import { type Config, configSchema } from './config';
import { CartRepository } from './data/cart-repository';
import { openRedis } from './data/redis-connection';
import { CartService } from './domain/cart-service';
import { cartRoutes } from './http/cart-routes';
import { CatalogClient } from './http/catalog-client';
import { orderConfirmedConsumer } from './messaging/order-confirmed-consumer';

export const service = 'cart';

/** Wires the cart: Redis behind a breaker, the catalog client, the order.confirmed consumer and routes. */
export async function start(overrides: Partial<Config> = {}): Promise<RunningService> {
  const { config, logger } = configure(service, configSchema, overrides);

  const redis = await openRedis(config.REDIS_URL, logger);
  const catalog = new CatalogClient(config.CATALOG_URLS, config.CATALOG_TIMEOUT_MS);
  const carts = new CartService(new CartRepository(redis, config.CART_TTL_SECONDS), catalog);

  const messaging = await startMessaging({
    amqpUrl: config.AMQP_URL,
    logger,
    consumers: [orderConfirmedConsumer(carts, logger)],
  });

  // Readiness is Redis only: the cart serves HTTP without the broker, and catalog loss is per request.
  const http = createHttpService({
    service,
    logger,
    router: cartRoutes(carts),
    readiness: { redis: () => redis.ping() },
    liveness: { messaging: () => messaging.liveness() },
  });
  const port = await http.listen(config.PORT, config.HOST);

  return {
    port,
    async stop() {
      await http.close();
      await messaging.stop();
      await redis.close();
    },
  };
}
