import { context, propagation, ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Middleware } from 'koa';

/**
 * HTTP server and client spans, made here rather than by the generic http and undici
 * instrumentations. Those record every request too, but at a price `npm run bench` measured: the http
 * instrumentation wraps every request and response emitter in a context binding and fills about
 * fifteen attributes of two semantic-convention generations; undici's reports each fetch through five
 * diagnostics channels. On GET /api/products through the gateway that was telemetry's largest cost
 * (throughput on/off 0.77 → 0.84 in the same run when these two spans were made here; see README,
 * Performance). What a trace shows is unchanged: W3C `traceparent` in and out through the SDK's
 * propagator, one SERVER span per request named `<method> <route>`, one CLIENT span per upstream call,
 * with the stable HTTP semantic-convention attributes the collector's span metrics and Tempo's service
 * graph read (`http.request.method`, `http.route`, `http.response.status_code`, `server.*`, `url.*`).
 *
 * Without the telemetry preload no SDK is registered: the API hands out non-recording spans and a
 * no-op propagator, so these cost next to nothing when telemetry is off.
 */
const tracer = trace.getTracer('@confeitaria/platform/http');

/**
 * Health, readiness, metrics and the saga's load (the gateway's admission poll) are polled all the time
 * and say nothing about users: never traced.
 */
const untracedPaths = new Set(['/healthz', '/readyz', '/metrics', '/saga/load']);

/**
 * Outermost middleware: continues the caller's trace (or starts one), makes the request's SERVER span
 * the active span for everything the request does, and answers with its `traceparent`.
 */
export function serverSpans(): Middleware {
  return async (ctx, next) => {
    if (untracedPaths.has(ctx.path)) return next();
    const parent = propagation.extract(ROOT_CONTEXT, ctx.req.headers);
    const span = tracer.startSpan(
      ctx.method,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': ctx.method,
          'url.path': ctx.path,
          'url.scheme': 'http',
          'server.port': ctx.req.socket.localPort,
          'client.address': ctx.req.socket.remoteAddress,
          'user_agent.original': ctx.get('user-agent') || undefined,
        },
      },
      parent,
    );
    const spanContext = span.spanContext();
    if (span.isRecording()) ctx.set('traceparent', `00-${spanContext.traceId}-${spanContext.spanId}-01`);
    try {
      await context.with(trace.setSpan(parent, span), next);
    } catch (error) {
      // Only reached if something escapes the error middleware; Koa answers 500 then.
      failed(span, error);
      throw error;
    } finally {
      // The route is known once the router ran: "GET /api/orders/:id", never one name per order id.
      if (ctx._matchedRoute) {
        const route = String(ctx._matchedRoute);
        span.setAttribute('http.route', route);
        span.updateName(`${ctx.method} ${route}`);
      }
      span.setAttribute('http.response.status_code', ctx.status);
      if (ctx.status >= 500) {
        span.setAttribute('error.type', String(ctx.status));
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      span.end();
    }
  };
}

/**
 * Runs one upstream call inside a CLIENT span: `send` receives the request headers with `traceparent`
 * added, so the upstream's server span joins the trace as this span's child. A 4xx/5xx answer or a
 * thrown error marks the span as failed (client spans count 4xx as errors, per the conventions).
 */
export async function clientSpan<T extends { status: number }>(
  method: string,
  url: string,
  headers: Record<string, string> | undefined,
  send: (headers: Record<string, string>) => Promise<T>,
): Promise<T> {
  const target = new URL(url);
  const span = tracer.startSpan(method, {
    kind: SpanKind.CLIENT,
    attributes: {
      'http.request.method': method,
      'url.full': url,
      'server.address': target.hostname,
      'server.port': Number(target.port) || 80,
    },
  });
  const outgoing = { ...headers };
  propagation.inject(trace.setSpan(context.active(), span), outgoing);
  try {
    const response = await send(outgoing);
    span.setAttribute('http.response.status_code', response.status);
    if (response.status >= 400) {
      span.setAttribute('error.type', String(response.status));
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    return response;
  } catch (error) {
    failed(span, error);
    throw error;
  } finally {
    span.end();
  }
}

function failed(span: Span, error: unknown): void {
  span.recordException(error as Error);
  // A socket error's code (ECONNREFUSED, ECONNRESET) says more than its class; else the error's name.
  const code = (error as { code?: unknown }).code;
  span.setAttribute('error.type', typeof code === 'string' ? code : (error as Error).name || 'Error');
  span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
}
