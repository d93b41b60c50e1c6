import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bodyParser } from '@koa/bodyparser';
import type Router from '@koa/router';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import Koa from 'koa';
import type { Logger } from 'pino';
import { AppError, ErrorCode } from '../errors/app-error';
import { httpServerDuration, registry } from '../metrics/registry';
import { serverSpans } from '../telemetry/http-spans';
import { AdmissionGate, declareShedReasons } from './admission';
import { errorMiddleware } from './error-middleware';
import { healthRoutes, type LivenessCheck, type ReadinessCheck } from './health';
import { createRouter } from './router';

export interface HttpServiceOptions {
  service: string;
  logger: Logger;
  /** The service's own routes (health and metrics routes are the platform's). */
  router: Router;
  /** Documents for people outside the service's API, after it (the gateway's storefront at `/`). */
  pages?: Router;
  /** Dependencies `/readyz` probes: those the service's own requests need. */
  readiness: Record<string, ReadinessCheck>;
  /** What `/healthz` asks of the process itself (no dependency calls). */
  liveness?: Record<string, LivenessCheck>;
  /** Largest accepted JSON body. */
  bodyLimit?: string;
  /**
   * Requests handled at once, and how many may wait how long for a turn; one more is shed at once with
   * 503 + Retry-After (`at_capacity`) instead of joining a queue nobody gets out of in time. Health and
   * metrics routes are never held back: a saturated process still answers its probes.
   */
  inFlight?: { concurrency: number; queueLimit: number; maxWaitMs: number };
}

export interface HttpService {
  app: Koa;
  /** Listens and resolves with the bound port (0 picks a free one, as tests do). */
  listen(port: number, host: string): Promise<number>;
  /**
   * Moves the probes and the scrape (`/healthz`, `/readyz`, `/metrics`) to a port of their own, which
   * serves nothing else; the public port then answers them 404. For a service whose port faces
   * clients (the gateway): what it measures and whether it is ready are the operator's to read, and
   * `/metrics` costs a registry serialisation per request that no client should be able to order.
   */
  listenManagement(port: number, host: string): Promise<number>;
  /** Stops accepting, lets in-flight requests finish (up to `graceMs`), then closes what is left. */
  close(graceMs?: number): Promise<void>;
}

/**
 * A Koa app with the platform's middleware in the order that matters: the request's server span and
 * `traceparent` response header outermost, then RED metrics (both see every response, errors included), then the
 * one error handler, then the JSON body parser, health and metrics routes, and the service's routes.
 */
/** How long an idle keep-alive connection is kept open (longer than any client's idle timeout). */
const keepAliveMs = 125_000;

/** The platform's own routes: probes and scrapes, answered whatever the load. */
const platformPaths = new Set(['/healthz', '/readyz', '/metrics']);
/** Whether the router would serve `path` as a platform route: it matches with a trailing slash too. */
const isPlatformPath = (path: string) => platformPaths.has(path.replace(/\/+$/, ''));

export function createHttpService(options: HttpServiceOptions): HttpService {
  const app = new Koa();
  app.proxy = true;
  app.silent = true;
  const router = options.router;
  const platformRouter = createRouter();
  healthRoutes(platformRouter, options.service, options.readiness, options.liveness);
  platformRouter.get('/metrics', async (ctx) => {
    ctx.type = registry.contentType;
    ctx.body = await registry.metrics();
  });

  app.use(serverSpans());
  // No response is for a browser to sniff into another type (a JSON body rendered as HTML): on every
  // answer, problems included, set after the error handler has settled the headers.
  app.use(async (ctx, next) => {
    await next();
    ctx.set('X-Content-Type-Options', 'nosniff');
  });
  app.use(async (ctx, next) => {
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const route = ctx._matchedRoute ? String(ctx._matchedRoute) : 'unmatched';
      if (route !== '/metrics' && route !== '/healthz' && route !== '/readyz') {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const labels = { method: ctx.method, route, status_code: String(ctx.status) };
        const spanContext = trace.getActiveSpan()?.spanContext();
        // prom-client types exemplar labels as if they were the metric's labels; they are free-form.
        const exemplarLabels = (
          spanContext && isSpanContextValid(spanContext) ? { trace_id: spanContext.traceId } : {}
        ) as typeof labels;
        httpServerDuration.observe({ labels, value: seconds, exemplarLabels });
      }
    }
  });
  app.use(errorMiddleware(options.logger));
  // With a management port, each port serves its own paths only (see listenManagement).
  let managementServer: Server | undefined;
  const managementSockets = new WeakSet<object>();
  app.use((ctx, next) => {
    if (!managementServer) return next();
    if (isPlatformPath(ctx.path) === managementSockets.has(ctx.req.socket)) return next();
    throw new AppError(404, ErrorCode.NotFound, `${ctx.path} is not served on this port`);
  });
  if (options.inFlight) {
    declareShedReasons('at_capacity');
    const gate = new AdmissionGate({ name: `${options.service}-requests`, reason: 'at_capacity', ...options.inFlight });
    app.use((ctx, next) => (isPlatformPath(ctx.path) ? next() : gate.run(next)));
  }
  app.use(
    bodyParser({
      enableTypes: ['json'],
      jsonLimit: options.bodyLimit ?? '64kb',
      encoding: 'utf-8',
      onError: (error) => {
        throw error;
      },
    }),
  );
  app.use(async (ctx, next) => {
    // A body in any other format than JSON is refused outright, rather than silently ignored.
    if (ctx.request.length && !ctx.is('application/json') && ['POST', 'PUT', 'PATCH'].includes(ctx.method)) {
      throw new AppError(415, ErrorCode.UnsupportedMediaType, 'request body must be application/json');
    }
    await next();
  });
  app.use(platformRouter.routes());
  app.use(router.routes());
  if (options.pages) app.use(options.pages.routes());
  app.use(
    router.allowedMethods({
      throw: true,
      methodNotAllowed: () => new AppError(405, ErrorCode.Validation, 'method not allowed on this route'),
      notImplemented: () => new AppError(405, ErrorCode.Validation, 'method not supported'),
    }),
  );

  let server: Server | undefined;
  const bind = async (port: number, host: string, role: string): Promise<Server> => {
    const bound = app.listen(port, host);
    // A person reads a page for up to a minute or more before the next click (the crowd's think time
    // goes to 70 s). Were the server to drop an idle keep-alive connection first (Node's default is
    // 5 s), a request sent on it in that instant would be reset: a POST is not retried, so a checkout
    // would fail. Clients and proxies close idle connections sooner than this.
    bound.keepAliveTimeout = keepAliveMs;
    await once(bound, 'listening');
    options.logger.info({ port: (bound.address() as AddressInfo).port, role }, 'listening');
    return bound;
  };
  const portOf = (bound: Server) => (bound.address() as AddressInfo).port;
  const closeServer = async (bound: Server | undefined, graceMs: number) => {
    if (!bound) return;
    const closing = new Promise<void>((resolve) => bound.close(() => resolve()));
    bound.closeIdleConnections();
    const timer = setTimeout(() => bound.closeAllConnections(), graceMs);
    await closing;
    clearTimeout(timer);
  };
  return {
    app,
    async listen(port, host) {
      server = await bind(port, host, 'public');
      return portOf(server);
    },
    async listenManagement(port, host) {
      const bound = await bind(port, host, 'management');
      bound.on('connection', (socket) => managementSockets.add(socket));
      managementServer = bound;
      return portOf(bound);
    },
    async close(graceMs = 5_000) {
      await Promise.all([closeServer(server, graceMs), closeServer(managementServer, graceMs)]);
    },
  };
}
