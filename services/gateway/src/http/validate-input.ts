import { requestBody, validate } from '@confeitaria/platform';
import type { Context, Middleware } from 'koa';
import { z } from 'zod';
import type { Operation } from './operations';

/** An operation's input after validation (`ctx.state.input`). */
export interface ValidInput {
  params?: Record<string, unknown>;
  body?: unknown;
}

/**
 * Validates what the operation declares (path parameters, query, named headers, body) with the
 * platform's API schemas, before anything is forwarded: bad input is a 400 naming the field, and
 * no client-made path segment (`..`, `%2F`) ever reaches an upstream URL.
 */
export function validateInput(operation: Operation): Middleware {
  return async (ctx, next) => {
    const input: ValidInput = {};
    if (operation.params) input.params = validate(operation.params, ctx.params, 'path');
    if (operation.query) validate(operation.query, ctx.query, 'query');
    for (const header of operation.headers ?? []) {
      const name = header.name.toLowerCase();
      const value = ctx.get(name);
      if (value) validate(z.object({ [name]: header.schema }), { [name]: value }, 'header');
    }
    if (operation.body) input.body = validateBody(operation.body, requestBody(ctx));
    ctx.state.input = input;
    await next();
  };
}

/** The validated input of the current request. */
export function inputOf(ctx: Context): ValidInput {
  return ctx.state.input as ValidInput;
}

/**
 * A union of object shapes (`{items}` or `{fromCart}`) reports a failure on the whole body, which
 * names no field. When the body fits none, it is checked against the shape it resembles most (most
 * keys in common), so the problem names the field that is actually wrong.
 */
function validateBody(schema: z.ZodType, body: unknown): unknown {
  if (!(schema instanceof z.ZodUnion) || schema.safeParse(body).success) return validate(schema, body);
  const keys = body !== null && typeof body === 'object' ? Object.keys(body) : [];
  let closest: z.ZodType = schema;
  let common = -1;
  for (const option of schema.options as readonly z.ZodType[]) {
    if (!(option instanceof z.ZodObject)) return validate(schema, body);
    const shared = keys.filter((key) => key in option.shape).length;
    if (shared > common) [closest, common] = [option, shared];
  }
  return validate(closest, body);
}
