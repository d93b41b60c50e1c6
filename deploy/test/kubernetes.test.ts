/**
 * deploy/k8s: built with the pinned kustomize, every object validated against the OpenAPI schemas of
 * the pinned Kubernetes release, and cross-checked against the repository's own config files.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { serviceDefinitions } from '@confeitaria/stack/components/services';
import { repoRoot } from '@confeitaria/stack/paths';
import { parse, parseAllDocuments } from 'yaml';
import { credentialKeys, ensureLocalCredentials } from '../src/credentials';
import { kubernetesValidator } from '../src/k8s-schema-validator';
import { credentialsSecret } from '../src/k8s-workloads';
import { kubernetesVersion, kustomizeBinary } from '../src/pinned-sources';

const run = promisify(execFile);
// biome-ignore lint/suspicious/noExplicitAny: manifests are checked field by field below
type K8sObject = any;
const k8sDir = join(repoRoot, 'deploy', 'k8s');
const shopServices = [...new Set(serviceDefinitions.map((definition) => definition.service))];

async function build(path: string): Promise<K8sObject[]> {
  const { stdout } = await run(
    await kustomizeBinary(),
    ['build', '--load-restrictor=LoadRestrictionsNone', join(k8sDir, path)],
    { maxBuffer: 1 << 24 },
  );
  return parseAllDocuments(stdout).map((document) => document.toJS());
}

describe(`deploy/k8s (Kubernetes ${kubernetesVersion})`, () => {
  let base: K8sObject[];
  let local: K8sObject[];
  before(async () => {
    ensureLocalCredentials();
    [base, local] = [await build('base'), await build('overlays/local')];
  });
  const find = (objects: K8sObject[], kind: string, name: string) =>
    objects.find((object) => object.kind === kind && object.metadata.name === name);
  const workloads = () => local.filter((object) => ['Deployment', 'StatefulSet'].includes(object.kind));

  it('builds the base and the local overlay with kustomize', () => {
    // The local overlay adds one object: the Secret it generates from credentials.env.
    assert.ok(base.length > 40 && local.length === base.length + 1, `${base.length} / ${local.length} objects`);
  });

  it('every object is valid against the Kubernetes OpenAPI schemas (strict: unknown fields fail)', async () => {
    const validator = await kubernetesValidator();
    const problems = local.flatMap((object) =>
      validator.validate(object).map((problem) => `${object.kind}/${object.metadata.name}: ${problem}`),
    );
    assert.deepEqual(problems, []);
    const misspelt = structuredClone(find(local, 'Deployment', 'gateway'));
    misspelt.spec.template.spec.containers[0].readynessProbe = {};
    assert.notDeepEqual(validator.validate(misspelt), [], 'a misspelt field must fail');
  });

  it('gives every container probes, a memory limit and requests, and pins every image', () => {
    for (const workload of workloads()) {
      for (const container of workload.spec.template.spec.containers) {
        const name = `${workload.metadata.name}/${container.name}`;
        assert.ok(container.readinessProbe && container.livenessProbe, `${name} probes`);
        assert.ok(container.resources?.limits?.memory && container.resources?.requests?.cpu, `${name} resources`);
        assert.match(container.image, /:v?\d+\.\d+(\.\d+)?[\w.-]*$/, `${name} image`);
        assert.doesNotMatch(container.image, /:latest$/);
      }
    }
  });

  it('runs every shop service as a Deployment scaled by an HPA, catalog with at least two replicas', () => {
    for (const service of shopServices) {
      assert.ok(find(local, 'Deployment', service), service);
      const hpa = find(local, 'HorizontalPodAutoscaler', service);
      assert.equal(hpa?.spec.scaleTargetRef.name, service);
      assert.ok(hpa.spec.minReplicas >= (service === 'catalog' ? 2 : 1));
    }
    assert.equal(find(local, 'HorizontalPodAutoscaler', 'gateway').spec.maxReplicas, 3, 'overlay patch applied');
  });

  it('runs the stateful parts as StatefulSets, with the note on operators or managed services', () => {
    for (const name of ['postgres-primary', 'postgres-replica', 'rabbitmq', 'prometheus', 'tempo']) {
      assert.ok(find(local, 'StatefulSet', name), name);
    }
    for (const file of ['postgres.yaml', 'redis-rabbitmq.yaml']) {
      assert.match(readFileSync(join(k8sDir, 'base', file), 'utf8'), /Production note: .*(operator|managed)/i);
    }
  });

  it('resolves every URL a service is given to a Service on that port', () => {
    for (const service of shopServices) {
      const container = find(local, 'Deployment', service).spec.template.spec.containers[0];
      for (const { name, value } of container.env.filter((each: K8sObject) => typeof each.value === 'string')) {
        for (const [, host, port] of value.matchAll(/[a-z]+:\/\/(?:[^@/]+@)?([a-z0-9-]+):(\d+)/g)) {
          const target = find(local, 'Service', host);
          assert.ok(target, `${service} ${name}: no Service ${host}`);
          assert.ok(
            target.spec.ports.some((each: K8sObject) => each.port === Number(port)),
            `${service} ${name}: ${host}:${port}`,
          );
        }
      }
    }
  });

  it('takes every credential from the Secret, none as a literal, and the Secret from outside the base', () => {
    assert.equal(find(base, 'Secret', credentialsSecret), undefined, 'the base ships no credentials');
    const secret = local.find(
      (object) => object.kind === 'Secret' && object.metadata.name.startsWith(credentialsSecret),
    );
    assert.ok(secret, 'the local overlay generates the Secret');
    const keys = Object.keys(secret.data ?? {}).sort();
    assert.deepEqual(keys, Object.keys(credentialKeys).sort());
    for (const service of shopServices) {
      const env: K8sObject[] = find(local, 'Deployment', service).spec.template.spec.containers[0].env;
      const names = env.map((each) => each.name);
      assert.ok(names.includes('INTERNAL_AUTH_SECRET'), `${service} gets the internal secret`);
      for (const { name, value, valueFrom } of env) {
        if (valueFrom?.secretKeyRef) {
          assert.ok(keys.includes(valueFrom.secretKeyRef.key), `${service} ${name}: key in the Secret`);
          continue;
        }
        assert.doesNotMatch(String(value), /:\/\/[^:/@]+:(?!\$\()[^@]+@/, `${service} ${name}: a password literal`);
        assert.doesNotMatch(name, /(PASSWORD|SECRET)$/, `${service} ${name} is a literal secret`);
        // a $(VAR) reference must name a variable defined earlier in the list
        for (const [, ref] of String(value).matchAll(/\$\(([A-Z_]+)\)/g))
          assert.ok(
            names.indexOf(ref ?? '') > -1 && names.indexOf(ref ?? '') < names.indexOf(name),
            `${service} ${name} → ${ref}`,
          );
      }
    }
    assert.ok(
      find(local, 'Deployment', 'identity').spec.template.spec.containers[0].env.some(
        (e: K8sObject) => e.name === 'ADMIN_PASSWORD',
      ),
    );
  });

  it('denies ingress by default and lets each shop service be reached only by its callers and the collector', () => {
    const policies = local.filter((object) => object.kind === 'NetworkPolicy');
    const deny = policies.find((policy) => policy.metadata.name === 'default-deny-ingress');
    assert.deepEqual(deny?.spec, { policyTypes: ['Ingress'], podSelector: {} });
    const allowedFrom = (service: string) =>
      policies
        .find((policy) => policy.metadata.name === `${service}-ingress`)
        ?.spec.ingress[0].from?.map((peer: K8sObject) => peer.podSelector.matchLabels['app.kubernetes.io/name'])
        .sort();
    assert.deepEqual(allowedFrom('identity'), ['gateway', 'otel-collector']);
    assert.deepEqual(allowedFrom('catalog'), ['cart', 'gateway', 'orders', 'otel-collector']);
    assert.deepEqual(allowedFrom('payments'), ['otel-collector'], 'nobody calls payments over HTTP');
    assert.deepEqual(allowedFrom('notifications'), ['otel-collector']);
    assert.equal(allowedFrom('gateway'), undefined, 'the gateway is the door: from anywhere');
    for (const service of shopServices) assert.ok(allowedFrom(service) !== null, `${service} has a policy`);
  });

  it('builds the collector, Prometheus and Grafana ConfigMaps from the repository files themselves', () => {
    const configMap = (prefix: string) =>
      local.find((object) => object.kind === 'ConfigMap' && object.metadata.name.startsWith(`${prefix}-`))?.data;
    const same = (prefix: string, key: string, file: string) =>
      assert.equal(configMap(prefix)?.[key], readFileSync(join(repoRoot, file), 'utf8'), `${prefix}: ${key}`);
    same('otel-collector-config', 'collector-base.yaml', 'otel/collector-base.yaml');
    same('otel-collector-config', 'collector-docker.yaml', 'otel/collector-docker.yaml');
    same('prometheus-config', 'prometheus.yml', 'prometheus/prometheus.yml');
    same('tempo-config', 'tempo.yaml', 'tempo/tempo.yaml');
    same('grafana-datasources', 'datasources.yaml', 'grafana/provisioning/datasources/datasources.yaml');
    // every rule file and every dashboard is shipped, so a new one cannot be forgotten here
    for (const file of readdirSync(join(repoRoot, 'prometheus', 'rules')))
      same('prometheus-rules', file, `prometheus/rules/${file}`);
    for (const file of readdirSync(join(repoRoot, 'grafana', 'dashboards')))
      same('grafana-dashboards', file, `grafana/dashboards/${file}`);
    const jobs = parse(readFileSync(join(repoRoot, 'prometheus', 'prometheus.yml'), 'utf8')).scrape_configs;
    for (const { job_name } of jobs) assert.ok(`${job_name}.json` in (configMap('prometheus-targets') ?? {}), job_name);
  });
});
