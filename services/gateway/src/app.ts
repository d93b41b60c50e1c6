import { callUpstream, configure, createHttpService, type RunningService } from '@confeitaria/platform';
import { type Config, configSchema } from './config';
import { apiRoutes } from './http/api-routes';

export const service = 'gateway';

/** Wires the gateway: the public routes, forwarded to the services behind it. */
export async function start(overrides: Partial<Config> = {}): Promise<RunningService> {
  const { config, logger } = configure(service, configSchema, overrides);

  const http = createHttpService({
    service,
    logger,
    router: apiRoutes(config),
    readiness: {
      orders: async () => {
        const response = await callUpstream('orders', {
          method: 'GET',
          url: `${config.ORDERS_URL}/healthz`,
          timeoutMs: 1_000,
        });
        if (response.status !== 200) throw new Error(`orders answered ${response.status}`);
      },
    },
  });
  const port = await http.listen(config.PORT, config.HOST);
  return { port, stop: () => http.close() };
}
