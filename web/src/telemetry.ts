/**
 * Browser telemetry, as the OpenTelemetry demo's front end has it: the page's load and every fetch it
 * makes become spans, exported as OTLP/HTTP JSON to the gateway's /otlp/v1/traces (which files them
 * under service.name `storefront` and forwards them to the collector). A person's action (a click on
 * "add to cart", "place order"…) is a span of its own, and the requests it makes are its children: the
 * fetch instrumentation sends their `traceparent`, so a checkout's trace starts at the click and goes on
 * through the gateway, the saga and the notification.
 *
 * Clicks are recorded here rather than by @opentelemetry/instrumentation-user-interaction: that package
 * is not published for the 3.x SDK, and needs zone.js to follow a click into its async work. Naming the
 * few actions that matter keeps the trace readable too (one "place order", not every click on the page).
 *
 * Nothing runs unless the gateway says where spans go (<meta name="confeitaria:traces">).
 */
import { type Context, context, propagation, ROOT_CONTEXT, type Span, SpanStatusCode, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { DocumentLoadInstrumentation } from '@opentelemetry/instrumentation-document-load';
import { FetchInstrumentation } from '@opentelemetry/instrumentation-fetch';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, StackContextManager, TracerProvider } from '@opentelemetry/sdk-trace';
import { createStore } from './store';

/** An action a person took, with the trace it started (for the demo panel). */
export interface Action {
  name: string;
  traceId: string;
  at: number;
  ok: boolean;
}

/** The last actions, newest first (the demo panel lists them with their trace ids). */
export const actions = createStore<Action[]>([]);
const keptActions = 20;

const tracer = () => trace.getTracer('confeitaria-storefront');
let enabled = false;
/**
 * The actions in progress, oldest first. A request sent after an await (or a Retry-After retry) has
 * lost the context manager's context: it goes to the action that was active when its api() call began,
 * else to the newest action still running.
 */
const running: Context[] = [];

/** Whether the page records spans (the gateway forwards them). */
export const telemetryOn = () => enabled;

/** Starts the SDK if the gateway forwards spans; returns whether it did. */
export function startTelemetry(): boolean {
  const endpoint = document.querySelector<HTMLMetaElement>('meta[name="confeitaria:traces"]')?.content;
  if (!endpoint || enabled) return enabled;
  const url = new URL(endpoint, location.href).href;
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      'service.name': 'storefront',
      'browser.language': navigator.language,
      'browser.mobile': matchMedia('(pointer: coarse)').matches,
    }),
    // Small batches, sent every few seconds (and when the page is hidden or closed): the gateway
    // takes at most 64 kB per post.
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: new OTLPTraceExporter({ url }),
        maxExportBatchSize: 32,
        scheduledDelayMillis: 2_000,
        maxQueueSize: 256,
      }),
    ],
  });
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(new StackContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new DocumentLoadInstrumentation(),
      // Same origin only (the default): the page calls nothing else. Its own exports and the demo
      // panel's polling are not traced.
      new FetchInstrumentation({ ignoreUrls: [url, /\/demo\/state$/], clearTimingResources: true }),
    ],
  });
  enabled = true;
  return true;
}

/**
 * Runs a person's action as a span named `name`, the root of its trace; the requests it sends are its
 * children. Actions do not nest: one click, one entry in the demo panel. Without telemetry it just runs
 * `work`.
 */
export async function traced<T>(name: string, work: () => Promise<T>): Promise<T> {
  if (!enabled) return work();
  const span: Span = tracer().startSpan(name, { attributes: { 'app.action': name } }, ROOT_CONTEXT);
  const mine = trace.setSpan(ROOT_CONTEXT, span);
  running.push(mine);
  let ok = true;
  try {
    return await context.with(mine, work);
  } catch (error) {
    ok = false;
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    throw error;
  } finally {
    span.end();
    running.splice(running.indexOf(mine), 1);
    const entry = { name, traceId: span.spanContext().traceId, at: Date.now(), ok };
    actions.set([entry, ...actions.get()].slice(0, keptActions));
  }
}

/** The action a request belongs to: the active context if it has one, else the newest running action. */
export function actionContext(): Context | undefined {
  const active = context.active();
  return trace.getSpan(active) ? active : running.at(-1);
}

/** Sends a request within `parent` (from actionContext(), taken when the call began). */
export function inAction<T>(parent: Context | undefined, send: () => T): T {
  return parent ? context.with(parent, send) : send();
}
