/**
 * The OpenTelemetry Collector, built from otel/builder-config.yaml, run with the shared base config
 * and the local-mode overlay. Services send it OTLP; it writes traces to a file (local mode), derives
 * span metrics, scrapes the services' /metrics, and exposes everything to
 * Prometheus on one endpoint.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Component, Health } from '../component';
import { repoRoot, stateDir } from '../paths';
import { host, ports } from '../ports';
import { launch, livePid, logFileOf, probeHttp, terminate } from '../process';
import { ensureTool } from '../tools';
import { managementPortOf, serviceDefinitions } from './services';

const name = 'otel-collector';
const collectorDir = join(stateDir, 'otel-collector');
/** The trace file local mode writes (one OTLP JSON document per line). */
export const traceFile = join(stateDir, 'traces', 'traces.jsonl');

/**
 * Writes the scrape targets (every service's /metrics) the collector's Prometheus receiver reads; it
 * watches the file, so `extra` targets (the benchmark's own instances) are scraped within seconds.
 */
export function writeScrapeTargets(extra: { address: string; job: string }[] = []): string {
  const file = join(collectorDir, 'service-targets.json');
  mkdirSync(collectorDir, { recursive: true });
  const targets = [
    ...serviceDefinitions.map((service) => ({
      targets: [`${host}:${managementPortOf(service)}`],
      labels: { job: service.service },
    })),
    ...extra.map(({ address, job }) => ({ targets: [address], labels: { job } })),
  ];
  writeFileSync(file, `${JSON.stringify(targets, null, 2)}\n`);
  return file;
}

export function collector(): Component {
  return {
    name,
    kind: 'tool',
    ports: [
      ports.collectorOtlpGrpc,
      ports.collectorOtlpHttp,
      ports.collectorPrometheus,
      ports.collectorTelemetry,
      ports.collectorHealth,
    ],
    logFile: logFileOf(name),
    url: `http://${host}:${ports.collectorPrometheus}/metrics`,
    async start() {
      if (livePid(name) !== undefined) return;
      const binary = await ensureTool('otelcol');
      mkdirSync(join(traceFile, '..'), { recursive: true });
      launch(
        name,
        binary,
        [
          '--config',
          join(repoRoot, 'otel', 'collector-base.yaml'),
          '--config',
          join(repoRoot, 'otel', 'collector-local.yaml'),
        ],
        {
          env: {
            OTEL_TRACE_FILE: traceFile,
            OTELCOL_SCRAPE_TARGETS: writeScrapeTargets(),
            OTELCOL_BIND_HOST: host,
            OTELCOL_OTLP_GRPC_PORT: String(ports.collectorOtlpGrpc),
            OTELCOL_OTLP_HTTP_PORT: String(ports.collectorOtlpHttp),
            OTELCOL_PROMETHEUS_PORT: String(ports.collectorPrometheus),
            OTELCOL_TELEMETRY_PORT: String(ports.collectorTelemetry),
            OTELCOL_HEALTH_PORT: String(ports.collectorHealth),
          },
        },
      );
    },
    async health(): Promise<Health> {
      const response = await probeHttp(`http://${host}:${ports.collectorHealth}/`);
      if (!response) return { ok: false, detail: 'health check not answering' };
      return response.status === 200
        ? { ok: true, detail: 'ready' }
        : { ok: false, detail: `health ${response.status}` };
    },
    pid: async () => livePid(name),
    stop: () => terminate(name),
  };
}
