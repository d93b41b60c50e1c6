import { collectDefaultMetrics, Histogram, type OpenMetricsContentType, Registry } from 'prom-client';

/**
 * One registry per process, exposed at /metrics in the OpenMetrics format so latency histograms can
 * carry exemplars (trace ids). The collector scrapes it; Prometheus scrapes the collector. This is the
 * only source of RED metrics (the collector's span metrics are for the service map), so nothing is
 * counted twice.
 */
export const registry = new Registry<OpenMetricsContentType>();
registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });

export const httpServerDuration = new Histogram({
  name: 'http_server_request_duration_seconds',
  help: 'Duration of inbound HTTP requests, by route template and status code.',
  labelNames: ['method', 'route', 'status_code'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  enableExemplars: true,
  registers: [registry],
});
