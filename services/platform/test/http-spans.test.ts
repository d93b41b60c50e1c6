import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { after, before, beforeEach, test } from 'node:test';
import Router from '@koa/router';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import pino from 'pino';
import { callUpstream } from '../src/http/http-client';
import { createHttpService, type HttpService } from '../src/http/http-service';

// The SDK pieces the telemetry preload registers, with spans kept in memory so the test can read them.
const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
const logger = pino({ level: 'silent' });
let upstream: HttpService;
let front: HttpService;
let frontUrl = '';
// Accepts connections and never answers: an upstream that has gone silent.
let silent: Server;

before(async () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);

  const upstreamRouter = new Router();
  upstreamRouter.get('/things/:id', (ctx) => {
    ctx.body = { id: ctx.params.id, traceparent: ctx.get('traceparent') };
  });
  upstream = createHttpService({ service: 'upstream', logger, router: upstreamRouter, readiness: {} });
  const upstreamUrl = `http://127.0.0.1:${await upstream.listen(0, '127.0.0.1')}`;

  const router = new Router();
  router.get('/items/:id', async (ctx) => {
    const answer = await callUpstream('upstream', {
      method: 'GET',
      url: `${upstreamUrl}/things/${ctx.params.id}`,
      timeoutMs: 2_000,
    });
    ctx.body = JSON.parse(answer.body);
  });
  router.get('/broken', () => {
    throw new Error('a bug');
  });
  silent = createServer(() => {}).listen(0, '127.0.0.1');
  await once(silent, 'listening');
  const silentPort = (silent.address() as { port: number }).port;
  router.get('/silent', async (ctx) => {
    await callUpstream('silent', { method: 'GET', url: `http://127.0.0.1:${silentPort}/x`, timeoutMs: 200 });
    ctx.body = {};
  });
  router.get('/unreachable', async (ctx) => {
    await callUpstream('nowhere', { method: 'GET', url: 'http://127.0.0.1:1/x', timeoutMs: 2_000 });
    ctx.body = {};
  });
  front = createHttpService({ service: 'front', logger, router, readiness: {} });
  frontUrl = `http://127.0.0.1:${await front.listen(0, '127.0.0.1')}`;
});

after(async () => {
  await front.close();
  await upstream.close();
  silent.close();
  // The silent server's accepted sockets would keep it open: end them.
  silent.unref();
  trace.disable();
  propagation.disable();
  context.disable();
});

beforeEach(() => exporter.reset());

const spans = () => exporter.getFinishedSpans();
const byKind = (kind: SpanKind) => spans().filter((span) => span.kind === kind);
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

test("a request continues the caller's trace: server span named after the route, traceparent answered", async () => {
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const response = await fetch(`${frontUrl}/items/42`, {
    headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
  });
  assert.equal(response.status, 200);
  const body = (await response.json()) as { id: string; traceparent: string };

  const servers = byKind(SpanKind.SERVER);
  const front = servers.find((span) => span.name === 'GET /items/:id');
  assert.ok(front, `server spans: ${servers.map((span) => span.name).join(', ')}`);
  assert.equal(front.spanContext().traceId, traceId);
  assert.equal(parentOf(front), '00f067aa0ba902b7');
  assert.equal(front.attributes['http.route'], '/items/:id');
  assert.equal(front.attributes['http.request.method'], 'GET');
  assert.equal(front.attributes['http.response.status_code'], 200);
  assert.equal(response.headers.get('traceparent'), `00-${traceId}-${front.spanContext().spanId}-01`);

  // The upstream call is a CLIENT span under the server span, and the upstream's server span under it.
  const client = byKind(SpanKind.CLIENT)[0];
  assert.ok(client);
  assert.equal(parentOf(client), front.spanContext().spanId);
  assert.equal(client.attributes['http.response.status_code'], 200);
  assert.equal(client.attributes['server.address'], '127.0.0.1');
  const upstreamServer = servers.find((span) => span.name === 'GET /things/:id');
  assert.ok(upstreamServer);
  assert.equal(parentOf(upstreamServer), client.spanContext().spanId);
  assert.equal(body.traceparent, `00-${traceId}-${client.spanContext().spanId}-01`);
});

test('health, readiness and metrics are never traced', async () => {
  for (const path of ['/healthz', '/readyz', '/metrics']) {
    const response = await fetch(`${frontUrl}${path}`);
    await response.arrayBuffer();
    assert.equal(response.headers.get('traceparent'), null, path);
  }
  assert.deepEqual(
    spans().map((span) => span.name),
    [],
  );
});

test('a 500 marks the server span as failed and records the exception; a 404 does not fail it', async () => {
  const broken = await fetch(`${frontUrl}/broken`);
  assert.equal(broken.status, 500);
  await broken.arrayBuffer();
  const missing = await fetch(`${frontUrl}/no-such-route`);
  assert.equal(missing.status, 404);
  await missing.arrayBuffer();

  const [failed, notFound] = spans();
  assert.equal(failed?.name, 'GET /broken');
  assert.equal(failed?.status.code, SpanStatusCode.ERROR);
  assert.equal(failed?.attributes['http.response.status_code'], 500);
  assert.ok(failed?.events.some((event) => event.name === 'exception'));
  assert.equal(notFound?.name, 'GET', 'an unmatched path is not a route: the span keeps the bare method');
  assert.equal(notFound?.status.code, SpanStatusCode.UNSET);
});

test('an upstream that cannot be reached fails its client span and answers 503', async () => {
  const response = await fetch(`${frontUrl}/unreachable`);
  assert.equal(response.status, 503);
  await response.arrayBuffer();
  const client = byKind(SpanKind.CLIENT)[0];
  assert.equal(client?.status.code, SpanStatusCode.ERROR);
  assert.equal(client?.attributes['error.type'], 'ECONNREFUSED');
  assert.equal(client?.attributes['server.port'], 1);
});

test('an upstream that does not answer in time fails its client span as a timeout and answers 504', async () => {
  const response = await fetch(`${frontUrl}/silent`);
  assert.equal(response.status, 504);
  await response.arrayBuffer();
  const client = byKind(SpanKind.CLIENT)[0];
  assert.equal(client?.status.code, SpanStatusCode.ERROR);
  assert.equal(client?.attributes['error.type'], 'TimeoutError');
});
