/**
 * Telemetry preload: starts the OpenTelemetry Node SDK before the application is loaded, so the
 * instrumentations can patch pg, ioredis, amqplib and pino as they are first required. Services start
 * with `node --require <this file> dist/src/main.js`; the output is CommonJS on purpose, because
 * require-hook patching is what every one of these instrumentations supports without an ESM loader hook.
 *
 * HTTP is traced by the platform itself (telemetry/http-spans.ts: one SERVER span per request, one
 * CLIENT span per upstream call), not by the generic http, undici and Koa instrumentations: `npm run
 * bench` measured them as most of telemetry's cost on the read path, for attributes nobody reads and,
 * for Koa's, a router-layer span per request that says nothing the server span does not.
 *
 * Configured by the standard OTEL_* variables (OTEL_SERVICE_NAME, OTEL_EXPORTER_OTLP_ENDPOINT,
 * OTEL_RESOURCE_ATTRIBUTES, OTEL_SDK_DISABLED, OTEL_BSP_*, ...). Metrics and logs are not exported
 * through the SDK: metrics come from prom-client (it attaches exemplars), logs go to stdout as JSON.
 *
 * Telemetry must never take the application down: any failure here is reported and swallowed, and
 * an unreachable collector only costs dropped spans.
 */
import { randomUUID } from 'node:crypto';
import { AmqplibInstrumentation } from '@opentelemetry/instrumentation-amqplib';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { startNodeSdk } from '@opentelemetry/sdk-node';
import { registerTelemetry } from './telemetry-handle';

function start(): void {
  process.env.OTEL_METRICS_EXPORTER ??= 'none';
  process.env.OTEL_LOGS_EXPORTER ??= 'none';
  if (process.env.OTEL_SDK_DISABLED === 'true') return;
  const sdk = startNodeSdk({
    resourceAttributes: {
      'service.namespace': 'confeitaria',
      'service.version': process.env.npm_package_version ?? '0.1.0',
      'service.instance.id': process.env.SERVICE_INSTANCE_ID ?? randomUUID(),
      'deployment.environment.name': process.env.DEPLOYMENT_ENVIRONMENT ?? 'local',
    },
    instrumentations: [
      // Connect spans (pool checkout) add a span per query to every trace and tell little: off.
      new PgInstrumentation({ requireParentSpan: true, ignoreConnectSpans: true }),
      new IORedisInstrumentation({ requireParentSpan: true }),
      new AmqplibInstrumentation(),
      new PinoInstrumentation(),
    ],
  });
  registerTelemetry(sdk);
}

try {
  start();
} catch (error) {
  console.error('telemetry disabled: the OpenTelemetry SDK failed to start', error);
}
