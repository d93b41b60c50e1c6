import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError, callUpstream, createRouter, ErrorCode, jsonOf, requestBody } from '@confeitaria/platform';
import type Router from '@koa/router';
import { send } from '@koa/send';
import type { Logger } from 'pino';
import { z } from 'zod';
import { type BucketLimit, rateLimit } from './rate-limit-middleware';

/**
 * The storefront's own policy: its script, styles and API calls from this origin only, nothing
 * inline, never framed. The browser's spans go to the gateway too (same origin), so the policy needs
 * no second origin.
 */
export const storefrontPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Where the page sends its spans (OTLP/HTTP JSON), and the name every one of them is filed under. */
export const browserTracesPath = '/otlp/v1/traces';
const browserService = 'storefront';

export interface StorefrontOptions {
  /** The folder Vite built (index.html, assets/). */
  dir: string;
  logger: Logger;
  /** Forwarding of the page's spans to the collector; without it the page records none. */
  browserTraces?: BucketLimit & { url: string; timeoutMs: number };
  /** Grafana as the browser reaches it, for the demo panel's trace links. */
  grafanaUrl?: string;
  /** Prometheus, where the chaos runner's metrics say which experiment runs (the demo panel). */
  experiments?: { prometheusUrl: string; timeoutMs: number };
}

/** The newest experiment that ended, as its runner exported it once judged (`chaos_run_*`). */
export interface LastRun {
  scenario: string;
  /** The run's folder under reports/. */
  run: string;
  verdict: string;
  endedAt: string;
  auditClean?: boolean;
  failedRatio?: number;
  p95Ms?: number;
  /** Absent when the probes did not all come back within the recovery phase (or the run was not judged). */
  recoveryS?: number;
  acceptedOrders?: number;
}

/** The running experiment as the demo panel shows it (GET /demo/state). */
export interface DemoState {
  experiment: { scenario: string; phase: string } | null;
  faults: { scenario: string; fault: string; kind: string; target: string }[];
  lastRun: LastRun | null;
  /** When Prometheus was read (ISO 8601). */
  at: string;
}

const labels = z.record(z.string(), z.string());
const answer = <T extends z.ZodType>(result: T) =>
  z.object({ status: z.literal('success'), data: z.object({ result: z.array(result) }) });
const vector = answer(z.object({ metric: labels }));
const matrix = answer(z.object({ metric: labels, values: z.array(z.tuple([z.number(), z.string()])) }));

/**
 * A runner that stopped exporting (killed, or its machine asleep) leaves its last phase in the
 * collector for minutes: only a runner whose heartbeat is this recent is running.
 */
const fresh = 'and on (scenario) (time() - max by (scenario) (chaos_runner_heartbeat_timestamp_seconds) < 30)';
/** How far back the newest judged run is looked for. */
const lastRunLookback = '3h';

/**
 * The newest run among the chaos_run_* series (one per metric and run), or null. A run is its scenario,
 * its folder and the runner process that exported it (`instance`): a folder name used again (the same
 * --out twice, trial-1 of every scenario of a suite) is another run, never a mix of two.
 */
export function newestRun(series: z.infer<typeof matrix>['data']['result']): LastRun | null {
  const runs = new Map<string, Record<string, number | string>>();
  for (const { metric, values } of series) {
    const last = values.at(-1);
    if (!metric.run || !metric.__name__ || !last) continue;
    const key = JSON.stringify([metric.scenario, metric.run, metric.instance]);
    const run = runs.get(key) ?? { run: metric.run, scenario: metric.scenario ?? '' };
    if (metric.__name__ === 'chaos_run_verdict') run.verdict = metric.verdict ?? '';
    else run[metric.__name__] = Number(last[1]);
    runs.set(key, run);
  }
  const judged = [...runs.values()].filter((run) => typeof run.chaos_run_end_timestamp_seconds === 'number');
  judged.sort((a, b) => Number(b.chaos_run_end_timestamp_seconds) - Number(a.chaos_run_end_timestamp_seconds));
  const newest = judged[0];
  if (!newest) return null;
  // Seconds become milliseconds; rounded to a millionth, so no float's trailing digits show.
  const figure = (name: string, scale = 1) =>
    typeof newest[name] === 'number' && Number.isFinite(newest[name])
      ? Math.round(Number(newest[name]) * scale * 1e6) / 1e6
      : undefined;
  const clean = figure('chaos_run_audit_clean');
  // Figures the run did not measure stay undefined, and out of the JSON.
  return {
    scenario: String(newest.scenario),
    run: String(newest.run),
    verdict: String(newest.verdict ?? 'UNKNOWN'),
    endedAt: new Date(Number(newest.chaos_run_end_timestamp_seconds) * 1000).toISOString(),
    ...(clean === undefined ? {} : { auditClean: clean === 1 }),
    failedRatio: figure('chaos_run_failed_requests_ratio'),
    p95Ms: figure('chaos_run_p95_latency_seconds', 1000),
    recoveryS: figure('chaos_run_recovery_seconds'),
    acceptedOrders: figure('chaos_run_accepted_orders'),
  };
}

/** How long one reading of Prometheus serves every visitor: the panels poll, Prometheus is asked once. */
const demoStateTtlMs = 2_000;

/** The part of an OTLP/HTTP JSON trace export the gateway looks at; the rest passes as sent. */
const keyValue = z.object({ key: z.string() }).passthrough();
const traceExport = z.object({
  resourceSpans: z
    .array(
      z
        .object({
          resource: z
            .object({ attributes: z.array(keyValue).max(64).optional() })
            .passthrough()
            .optional(),
          scopeSpans: z.array(z.object({ spans: z.array(z.unknown()).max(512) }).passthrough()).max(16),
        })
        .passthrough(),
    )
    .min(1)
    .max(8),
});

/** Escapes a value for a double-quoted HTML attribute. */
const attribute = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** An asset's name as Vite writes it (`index-BzfdsMsH.js`): nothing that could walk out of the folder. */
const assetName = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.(?:js|css|map|svg|woff2)$/;
const oneYearMs = 365 * 24 * 3600 * 1000;

/**
 * GET / (the storefront's one page, `web/`) and GET /assets/<file> (its hashed, immutable assets),
 * from the folder Vite built. Client routes live after `#`, so no other path is the page's: anything
 * else stays the API's 404. Without a build, / answers a 503 that says so.
 *
 * POST /otlp/v1/traces takes the page's spans (document load, its fetches, the clicks it records) and
 * forwards them to the collector, so a checkout's trace starts in the browser. Anyone can post there,
 * so what arrives is bounded (64 kB, a few resources and spans per batch, a per-address rate) and filed
 * under service.name `storefront` whatever it claims: a page cannot pass its spans off as a service's.
 *
 * GET /demo/state says which chaos experiment runs and which faults are in force, and how the newest
 * run that ended came out, from the chaos runner's metrics in Prometheus (`chaos_phase`,
 * `chaos_fault_active`, `chaos_run_*`), read at most once per 2 s whoever asks: the demo panel shows it
 * beside the shop, and its classroom mode sets the outcome against the audience's prediction.
 */
export function storefrontRoutes({ dir, logger, browserTraces, grafanaUrl, experiments }: StorefrontOptions): Router {
  const router = createRouter();
  // What the page is told about its mode: where its spans go, where Grafana is.
  const meta = [
    browserTraces ? `<meta name="confeitaria:traces" content="${attribute(browserTracesPath)}">` : '',
    grafanaUrl ? `<meta name="confeitaria:grafana" content="${attribute(grafanaUrl)}">` : '',
  ].join('');
  const indexFile = join(dir, 'index.html');
  if (!existsSync(indexFile)) logger.warn({ dir }, 'storefront not built (npm run build -w web): / answers 503');
  router.get('/', async (ctx) => {
    // Read per request (a few hundred bytes): a rebuild while the gateway runs shows at the next load,
    // instead of a page that names assets the build has just deleted.
    const page = await readFile(indexFile, 'utf8').catch(() => undefined);
    if (!page)
      throw new AppError(503, ErrorCode.DependencyUnavailable, 'the storefront is not built: npm run build -w web');
    ctx.set('Content-Security-Policy', storefrontPolicy);
    // The page names the current assets by hash: always revalidated, so a new build shows at once.
    ctx.set('Cache-Control', 'no-cache');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = meta ? page.replace('</head>', `${meta}</head>`) : page;
  });
  if (experiments) {
    const query = async <T extends typeof vector | typeof matrix>(expr: string, shape: T) => {
      const url = `${experiments.prometheusUrl}/api/v1/query?query=${encodeURIComponent(expr)}`;
      const response = await callUpstream('prometheus', {
        method: 'GET',
        url,
        timeoutMs: experiments.timeoutMs,
        traced: false,
      });
      const parsed = response.status === 200 ? shape.safeParse(jsonOf(response.body)) : undefined;
      if (!parsed?.success) {
        throw new AppError(503, ErrorCode.DependencyUnavailable, 'prometheus did not answer the query', undefined, {
          dependency: 'prometheus',
        });
      }
      return parsed.data.data.result as z.infer<T>['data']['result'];
    };
    let cached: { at: number; state: Promise<DemoState> } | undefined;
    const read = async (): Promise<DemoState> => {
      const [phases, faults, runs] = await Promise.all([
        query(`max by (scenario, phase) (chaos_phase == 1) ${fresh}`, vector),
        query(`max by (scenario, fault, kind, target) (chaos_fault_active == 1) ${fresh}`, vector),
        query(`{__name__=~"chaos_run_.+"}[${lastRunLookback}]`, matrix),
      ]);
      const current = phases[0]?.metric;
      return {
        experiment: current ? { scenario: current.scenario ?? '', phase: current.phase ?? '' } : null,
        faults: faults.map(({ metric }) => ({
          scenario: metric.scenario ?? '',
          fault: metric.fault ?? '',
          kind: metric.kind ?? '',
          target: metric.target ?? '',
        })),
        lastRun: newestRun(runs as z.infer<typeof matrix>['data']['result']),
        at: new Date().toISOString(),
      };
    };
    router.get('/demo/state', async (ctx) => {
      if (!cached || performance.now() - cached.at > demoStateTtlMs) {
        const state = read();
        cached = { at: performance.now(), state };
        // A failed reading is not kept: the next visitor asks again.
        state.catch(() => {
          if (cached?.state === state) cached = undefined;
        });
      }
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await cached.state;
    });
  }
  if (browserTraces) {
    router.post(browserTracesPath, rateLimit(browserTraces), async (ctx) => {
      const parsed = traceExport.safeParse(requestBody(ctx));
      if (!parsed.success) {
        throw new AppError(400, ErrorCode.Validation, 'not an OTLP/HTTP JSON trace export of a size we take');
      }
      for (const resourceSpans of parsed.data.resourceSpans) {
        const attributes = (resourceSpans.resource?.attributes ?? []).filter(({ key }) => key !== 'service.name');
        attributes.push({ key: 'service.name', value: { stringValue: browserService } });
        resourceSpans.resource = { ...resourceSpans.resource, attributes };
      }
      const response = await callUpstream('otel-collector', {
        method: 'POST',
        url: browserTraces.url,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(parsed.data),
        timeoutMs: browserTraces.timeoutMs,
        // Forwarding spans must not make spans of its own: each export would start another.
        traced: false,
      });
      if (response.status >= 500) {
        throw new AppError(503, ErrorCode.DependencyUnavailable, 'the collector is unavailable', undefined, {
          dependency: 'otel-collector',
        });
      }
      ctx.status = response.status;
      ctx.type = response.contentType ?? 'application/json';
      ctx.body = response.body || '{}';
    });
  }
  router.get('/assets/:file', async (ctx) => {
    const file = ctx.params.file ?? '';
    if (!assetName.test(file)) throw new AppError(404, ErrorCode.NotFound, `no asset ${file}`);
    try {
      await send(ctx, file, { root: join(dir, 'assets'), immutable: true, maxage: oneYearMs });
    } catch (error) {
      if ((error as { status?: number }).status === 404)
        throw new AppError(404, ErrorCode.NotFound, `no asset ${file}`);
      throw error;
    }
  });
  return router;
}
