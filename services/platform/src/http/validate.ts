import type { Context } from 'koa';
import type { z } from 'zod';
import { AppError, ErrorCode } from '../errors/app-error';

/**
 * Parses a request part with a zod schema; on failure throws a 400 problem that names every
 * offending field (JSON-pointer style, e.g. `/items/0/quantity`).
 */
export function validate<S extends z.ZodType>(schema: S, input: unknown, where = 'body'): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const errors = parsed.error.issues.map((issue) => ({
    field: `/${issue.path.map(String).join('/')}`,
    message: issue.message,
  }));
  const first = errors[0];
  throw new AppError(
    400,
    ErrorCode.Validation,
    first ? `invalid ${where}: ${first.field} ${first.message}` : `invalid ${where}`,
    errors,
  );
}

/** The parsed JSON body (undefined when the request had none). */
export function requestBody(ctx: Context): unknown {
  return (ctx.request as { body?: unknown }).body;
}
