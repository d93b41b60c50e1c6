import { AppError, ErrorCode } from '@confeitaria/platform';
import type { Middleware } from 'koa';
import { isDatabaseUnavailable } from '../data/database-errors';

/**
 * A database outage is the server's condition, not a bug: answer 503 (which the gateway may retry on
 * another instance for a GET) instead of an opaque 500.
 */
export const databaseUnavailable: Middleware = async (_ctx, next) => {
  try {
    await next();
  } catch (error) {
    if (error instanceof AppError || !isDatabaseUnavailable(error)) throw error;
    throw new AppError(503, ErrorCode.UpstreamUnavailable, 'the catalog database is unavailable');
  }
};
