import type { Logger } from 'pino';
import type { z } from 'zod';
import { loadConfig, maskSecrets, refuseDefaultSecrets } from './config/load-config';
import { useInternalAuthSecret } from './http/user-headers';
import { createLogger } from './logging/logger';
import { shutdownTelemetry } from './telemetry/telemetry-handle';

export interface RunningService {
  /** The port the HTTP server is bound to. */
  port: number;
  /** Where /healthz, /readyz and /metrics are served, when not on `port` (HttpService.listenManagement). */
  managementPort?: number;
  /** Drains: stop accepting, finish in-flight work, close pools and channels. */
  stop(): Promise<void>;
}

/**
 * Runs a service as a process: starts it, and on SIGTERM or SIGINT drains it, flushes telemetry and
 * exits. A failed start exits non-zero with the reason on stderr (the stack tooling quotes it).
 */
export function runService(logger: Logger, start: () => Promise<RunningService>): void {
  start().then(
    (service) => {
      let stopping = false;
      const shutdown = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        logger.info({ signal }, 'stopping');
        try {
          await service.stop();
        } catch (error) {
          logger.error({ err: error }, 'stop failed');
        }
        await shutdownTelemetry();
        process.exit(0);
      };
      process.once('SIGTERM', () => void shutdown('SIGTERM'));
      process.once('SIGINT', () => void shutdown('SIGINT'));
    },
    async (error: Error) => {
      logger.fatal({ err: error }, `start failed: ${error.message}`);
      await shutdownTelemetry();
      process.exit(1);
    },
  );
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));
}

/** Reads a service's configuration (env, then test overrides), makes its logger and logs the masked config. */
export function configure<S extends z.ZodObject>(
  service: string,
  schema: S,
  overrides: Partial<z.infer<S>> = {},
): { config: z.infer<S>; logger: Logger } {
  const config = { ...loadConfig(schema), ...overrides };
  refuseDefaultSecrets(schema, config);
  const secret = (config as { INTERNAL_AUTH_SECRET?: string }).INTERNAL_AUTH_SECRET;
  if (secret) useInternalAuthSecret(secret);
  const logger = createLogger(service, String((config as { LOG_LEVEL?: string }).LOG_LEVEL ?? 'info'));
  logger.info({ config: maskSecrets(config) }, 'starting');
  return { config, logger };
}
