import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '@confeitaria/stack/paths';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { readCompose } from '../src/compose-file';
import { imagePorts } from '../src/docker-topology';
import {
  grafanaDashboardProvidersSchema,
  grafanaDatasourcesSchema,
  tempoConfigSchema,
} from '../src/provisioning-schemas';

const ajv = new Ajv({ allErrors: true });
const yamlFile = (path: string) => parse(readFileSync(join(repoRoot, path), 'utf8'));
const tempo = yamlFile('tempo/tempo.yaml');
const datasources = yamlFile('grafana/provisioning/datasources/datasources.yaml');
const providers = yamlFile('grafana/provisioning/dashboards/dashboards.yaml');
const compose = readCompose();

function assertValid(schema: object, data: unknown) {
  const validate = ajv.compile(schema);
  assert.ok(validate(data), JSON.stringify(validate.errors, null, 2));
  return validate;
}

describe('Tempo config (tempo/tempo.yaml)', () => {
  it('has only known options of the right types', () => {
    const validate = assertValid(tempoConfigSchema, tempo);
    assert.equal(validate({ ...tempo, metrics_generater: {} }), false, 'a misspelt key must fail');
  });

  it('receives OTLP/gRPC where the collector overlay sends traces', () => {
    const overlay = yamlFile('otel/collector-docker.yaml');
    const endpoint: string = overlay.exporters['otlp_grpc/tempo'].endpoint;
    const fallback = /:-([^}]+)\}/.exec(endpoint)?.[1];
    assert.equal(compose.services['otel-collector']?.environment?.OTELCOL_TEMPO_ENDPOINT, fallback);
    assert.equal(fallback, `tempo:${imagePorts.tempoOtlpGrpc}`);
    assert.equal(tempo.distributor.receivers.otlp.protocols.grpc.endpoint, `0.0.0.0:${imagePorts.tempoOtlpGrpc}`);
    assert.ok(overlay.service.pipelines.traces.exporters.includes('otlp_grpc/tempo'));
  });

  it('writes the service graph, and only that, to the Prometheus of the compose file', () => {
    assert.deepEqual(tempo.overrides.defaults.metrics_generator.processors, ['service-graphs']);
    assert.equal(
      tempo.metrics_generator.storage.remote_write[0].url,
      `http://prometheus:${imagePorts.prometheus}/api/v1/write`,
    );
    assert.ok(compose.services.prometheus?.command?.includes('--web.enable-remote-write-receiver'));
    assert.ok(compose.services.tempo?.volumes?.some((volume) => volume.startsWith('tempo-data:/var/tempo')));
    assert.ok(tempo.storage.trace.wal.path.startsWith('/var/tempo/'));
  });

  it('serves its API on the port the Grafana datasource and the healthcheck use', () => {
    const source = datasources.datasources.find((each: { type: string }) => each.type === 'tempo');
    assert.equal(source.url, `http://tempo:${tempo.server.http_listen_port}`);
    // The healthcheck is the image's (Dockerfile, target tempo).
    const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
    const stage = dockerfile.slice(dockerfile.indexOf('AS tempo'));
    assert.match(stage.slice(0, stage.indexOf('\nFROM ')), new RegExp(`:${tempo.server.http_listen_port}/ready`));
  });
});

describe('Grafana provisioning (grafana/provisioning)', () => {
  it('datasources and dashboard providers have only known options', () => {
    assertValid(grafanaDatasourcesSchema, datasources);
    assertValid(grafanaDashboardProvidersSchema, providers);
  });

  it('points every datasource at a compose service and port, with unique uids', () => {
    const uids = datasources.datasources.map((each: { uid: string }) => each.uid);
    assert.equal(new Set(uids).size, uids.length);
    for (const { url } of datasources.datasources as { url: string }[]) {
      const { hostname, port } = new URL(url);
      assert.ok(compose.services[hostname], `${url}: no compose service ${hostname}`);
      assert.ok(([imagePorts.prometheus, imagePorts.tempoHttp] as number[]).includes(Number(port)), url);
    }
  });

  it('links only to datasource uids that exist', () => {
    const uids = new Set(datasources.datasources.map((each: { uid: string }) => each.uid));
    const linked = JSON.stringify(datasources).match(/"datasourceUid":"[^"]+"/g) ?? [];
    assert.ok(linked.length >= 3);
    for (const link of linked) assert.ok(uids.has(link.split(':')[1]?.replaceAll('"', '')), link);
  });

  it('every dashboard names only provisioned datasource uids', () => {
    const uids = new Set(datasources.datasources.map((each: { uid: string }) => each.uid));
    for (const file of ['overview', 'service', 'order-pipeline', 'infrastructure', 'slo', 'k6']) {
      const dashboard = readFileSync(join(repoRoot, 'grafana', 'dashboards', `${file}.json`), 'utf8');
      for (const [, uid] of dashboard.matchAll(/"uid":\s*"([^"]+)"/g)) {
        if (uid && /^(prometheus|tempo)/.test(uid)) assert.ok(uids.has(uid), `${file}: ${uid}`);
      }
    }
  });
});
