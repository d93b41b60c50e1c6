import pino, { type Logger } from 'pino';

/**
 * JSON logs on stdout. The pino instrumentation (loaded by the telemetry preload) adds `trace_id` and
 * `span_id` to every line written inside a traced request, so a log line leads to its trace.
 */
export function createLogger(service: string, level: string): Logger {
  return pino({ name: service, level, base: { service } });
}
