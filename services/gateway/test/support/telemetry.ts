/**
 * Loads the platform's telemetry preload before the gateway (as `node --require` does in the stack),
 * so requests get real spans and the `traceparent` response header. Spans are exported to a port
 * nothing listens on (the export fails silently, as it does when the collector is down).
 * Import this first in a test file.
 */
process.env.OTEL_TRACES_EXPORTER ??= 'otlp';
process.env.OTEL_EXPORTER_OTLP_ENDPOINT ??= 'http://127.0.0.1:9';
require('@confeitaria/platform/telemetry/preload');
