import { api } from '@confeitaria/platform';
import { z } from 'zod';
import { categoryList, type Operation, operations, orderList, productPage } from '../http/operations';

type Json = Record<string, unknown>;

/** RFC 9457 problem document, as the platform's error middleware writes it. */
export const problemSchema = z.object({
  type: z.url(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  instance: z.string().optional(),
  traceId: z.string().optional(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  /** The dependency a 503 is about. */
  dependency: z.string().optional(),
  /** Why a 429/503 shed the request: rate_limited, login_throttled, hashing_busy, saga_behind or at_capacity. */
  reason: z.enum(['rate_limited', 'login_throttled', 'hashing_busy', 'saga_behind', 'at_capacity']).optional(),
});

/** Component names; requests are described as the client sends them, responses as they come back. */
const named: [z.ZodType, string, 'input' | 'output'][] = [
  [api.registerBody, 'RegisterRequest', 'input'],
  [api.loginBody, 'LoginRequest', 'input'],
  [api.createProductBody, 'CreateProductRequest', 'input'],
  [api.setStockBody, 'SetStockRequest', 'input'],
  [api.cartItemBody, 'CartItemRequest', 'input'],
  [api.placeOrderBody, 'PlaceOrderRequest', 'input'],
  [api.userView, 'User', 'output'],
  [api.tokenView, 'Token', 'output'],
  [categoryList, 'CategoryList', 'output'],
  [api.productView, 'Product', 'output'],
  [productPage, 'ProductPage', 'output'],
  [api.cartView, 'Cart', 'output'],
  [api.orderView, 'Order', 'output'],
  [orderList, 'OrderList', 'output'],
  [problemSchema, 'Problem', 'output'],
];

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
  return rest;
}

function ref(schema: z.ZodType): Json {
  const entry = named.find(([candidate]) => candidate === schema);
  if (!entry) throw new Error('schema without a component name');
  return { $ref: `#/components/schemas/${entry[1]}` };
}

const problemContent = { 'application/problem+json': { schema: ref(problemSchema) } };
const header = (description: string, schema: Json = { type: 'string' }) => ({ description, schema });

/** The failures every operation of its kind can answer with, before the operation's own. */
function failuresOf(operation: Operation): Record<number, string> {
  const failures: Record<number, string> = {};
  if (operation.params || operation.query || operation.body || operation.headers) {
    failures[400] = 'Invalid input: `errors` names each offending field (JSON pointer).';
  }
  if (operation.access !== 'public') failures[401] = 'Missing, malformed, expired or forged bearer token.';
  if (operation.access === 'admin') failures[403] = 'The caller is not an admin.';
  if (operation.body) {
    failures[413] = 'The body is larger than 64 kB.';
    failures[415] = 'The body is not application/json.';
  }
  failures[429] = 'Over the rate limit (reason rate_limited); see Retry-After.';
  failures[503] = `${
    operation.access === 'public'
      ? `The ${operation.upstream} service is unavailable`
      : `The ${operation.upstream} service, or identity (to verify the token), is unavailable`
  }, or the gateway has as many requests in flight as it may (reason at_capacity); see Retry-After.`;
  failures[504] = `The ${operation.upstream} service did not answer in time.`;
  return { ...failures, ...operation.failures };
}

function parameters(operation: Operation): Json[] {
  const list: Json[] = [];
  for (const [name, field] of Object.entries(operation.params?.shape ?? {})) {
    list.push({ name, in: 'path', required: true, schema: jsonSchema(field as z.ZodType, 'input') });
  }
  for (const [name, field] of Object.entries(operation.query?.shape ?? {})) {
    const required = !(field as z.ZodType).safeParse(undefined).success;
    list.push({ name, in: 'query', required, schema: jsonSchema(field as z.ZodType, 'input') });
  }
  for (const { name, schema, description } of operation.headers ?? []) {
    list.push({ name, in: 'header', required: false, description, schema: jsonSchema(schema, 'input') });
  }
  return list;
}

function describeOperation(operation: Operation): Json {
  const responses: Record<string, Json> = {};
  const { success } = operation;
  responses[String(success.status)] = {
    description: success.description,
    ...(success.schema ? { content: { 'application/json': { schema: ref(success.schema) } } } : {}),
    ...(success.location ? { headers: { Location: header('The public path of the new resource.') } } : {}),
  };
  for (const [status, description] of Object.entries(failuresOf(operation))) {
    const headers =
      status === '429' || status === '503'
        ? { 'Retry-After': header('Seconds to wait.', { type: 'integer' }) }
        : status === '401'
          ? { 'WWW-Authenticate': header('Bearer challenge (RFC 6750).') }
          : undefined;
    responses[status] = { description, content: problemContent, ...(headers ? { headers } : {}) };
  }
  const params = parameters(operation);
  return {
    operationId: operation.id,
    summary: operation.summary,
    tags: [operation.upstream],
    ...(operation.access === 'public' ? {} : { security: [{ bearer: [] }] }),
    ...(operation.access === 'admin' ? { 'x-required-role': 'admin' } : {}),
    ...(params.length ? { parameters: params } : {}),
    ...(operation.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: ref(operation.body) } } } }
      : {}),
    responses,
  };
}

const platformPaths: Json = {
  '/healthz': { get: { operationId: 'healthz', summary: 'Liveness.', responses: { 200: { description: 'Alive.' } } } },
  '/readyz': {
    get: {
      operationId: 'readyz',
      summary: 'Readiness: identity (JWKS), orders and at least one catalog instance answer.',
      responses: { 200: { description: 'Ready.' }, 503: { description: 'Names the failing dependency.' } },
    },
  },
  '/metrics': {
    get: {
      operationId: 'metrics',
      summary: 'Prometheus metrics (OpenMetrics).',
      responses: { 200: { description: 'Metrics.' } },
    },
  },
};

/** The OpenAPI 3.1 document of the public API, generated from the operation table and the platform's schemas. */
export function openApiDocument(): Json {
  const paths: Record<string, Json> = {};
  for (const operation of operations) {
    const path = `/api${operation.path.replace(/:([A-Za-z]+)/g, '{$1}')}`;
    paths[path] = { ...paths[path], [operation.method.toLowerCase()]: describeOperation(operation) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Confeitaria API',
      version: '0.1.0',
      description:
        'The public API of the Confeitaria shop, served by its gateway. JSON in and out; every error is an ' +
        'RFC 9457 application/problem+json document; every response carries a W3C `traceparent`. Money is in ' +
        'integer cents (BRL).',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    paths: { ...paths, ...platformPaths },
    components: {
      schemas: Object.fromEntries(named.map(([schema, name, io]) => [name, jsonSchema(schema, io)])),
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
  };
}
