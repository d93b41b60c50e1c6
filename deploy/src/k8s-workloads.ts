/**
 * Kubernetes objects for the base kustomization, built from the same sources as local and docker mode:
 * the service list, ports and variables of stack/src (so the manifests cannot drift from what the
 * services read), and the images of docker-compose.yml. deploy/src/generate.ts writes them to
 * deploy/k8s/base/generated/; the ConfigMaps come from kustomize's configMapGenerator over the repo's
 * own config files (deploy/k8s/base/kustomization.yaml).
 *
 * Differences from docker mode, on purpose: no Toxiproxy (chaos runs in local and docker mode), so the
 * services reach their dependencies directly; one `catalog` Deployment scaled by an HPA instead of
 * two named instances.
 */
import { serviceDatabases } from '@confeitaria/stack/components/postgres';
import { managementPortOf, serviceDefinitions } from '@confeitaria/stack/components/services';
import { host, ports } from '@confeitaria/stack/ports';
import { proxies } from '@confeitaria/stack/proxies';
import { dockerPrometheusTargets, imagePorts, type TargetGroup } from './docker-topology';

type Manifest = Record<string, unknown>;
const labels = (app: string) => ({ 'app.kubernetes.io/name': app, 'app.kubernetes.io/part-of': 'confeitaria' });
const serviceImage = 'confeitaria/service:0.1.0';

/** Where each upstream of chaos/proxies.json is reached in the cluster (Service DNS names). */
function clusterUpstream(to: string): string {
  const infra: Record<string, string> = {
    'postgres-primary': `postgres-primary:${imagePorts.postgres}`,
    'postgres-replica': `postgres-replica:${imagePorts.postgres}`,
    redis: `redis:${imagePorts.redis}`,
    rabbitmq: `rabbitmq:${imagePorts.rabbitmqAmqp}`,
  };
  if (infra[to]) return infra[to];
  const instance = serviceDefinitions.find((definition) => definition.name === to);
  // Every instance of a service is behind one Service, on the first instance's port (catalog-2 → catalog:18082).
  const first = serviceDefinitions.find((definition) => definition.service === instance?.service);
  if (!first) throw new Error(`no cluster address for ${to}`);
  return `${first.service}:${first.port}`;
}

/** The Secret every credential comes from: the operator's (base), or the local overlay's generated one. */
export const credentialsSecret = 'confeitaria-credentials';
const fromSecret = (name: string, key = name) => ({
  name,
  valueFrom: { secretKeyRef: { name: credentialsSecret, key } },
});

/**
 * Local-mode variables a cluster does without: PROMETHEUS_URL feeds the storefront's demo panel with
 * the chaos runner's metrics, and chaos experiments run in local and docker mode only.
 */
const notInCluster = new Set(['PROMETHEUS_URL']);

/**
 * The local stack's variables with every proxied address replaced by the upstream's Service, and every
 * password in a URL replaced by a reference to the container's variable from the Secret (Kubernetes
 * expands `$(NAME)` from variables defined before it): no credential is a literal in a manifest.
 */
function clusterEnv(definition: (typeof serviceDefinitions)[number]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(definition.env())) {
    if (notInCluster.has(key)) continue;
    let direct = value;
    for (const proxy of proxies) direct = direct.replaceAll(`${host}:${proxy.listen}`, clusterUpstream(proxy.to));
    // An address that is direct in local mode too (the gateway's key-set fetch) is the instance's Service.
    for (const instance of serviceDefinitions) {
      direct = direct.replaceAll(`${host}:${instance.port}`, clusterUpstream(instance.name));
    }
    direct = direct
      .replace(
        /^postgres:\/\/([^:/@]+):[^@]+@/,
        (_, role: string) => `postgres://${role}:$(${databasePasswordKey(role)})@`,
      )
      .replace(/^amqp:\/\/([^:/@]+):[^@]+@/, 'amqp://$1:$(RABBITMQ_DEFAULT_PASS)@');
    // Both catalog instances are one Service here: a list naming it twice names it once.
    env[key] = [...new Set(direct.split(','))].join(',');
  }
  return env;
}

/** The Secret's key of a database role's password: a service role's own (IDENTITY_DB_PASSWORD), else the operator's. */
const databasePasswordKey = (role: string): string =>
  (serviceDatabases as readonly string[]).includes(role) ? `${role.toUpperCase()}_DB_PASSWORD` : 'APP_PASSWORD';

/** The Secret's keys a service's container needs, declared before the variables that expand them. */
function credentialsOf(service: string, env: Record<string, string>) {
  const referenced = new Set(
    [
      ...Object.values(env)
        .join(' ')
        .matchAll(/\$\(([A-Z0-9_]+)\)/g),
    ].map((match) => match[1] as string),
  );
  return [
    fromSecret('INTERNAL_AUTH_SECRET'),
    ...[...referenced].sort().map((name) => fromSecret(name)),
    ...(service === 'identity' ? [fromSecret('ADMIN_PASSWORD')] : []),
    // The machine's secrets of local mode are, here, keys of the Secret (never values in a manifest).
    ...Object.keys(serviceDefinitions.find((definition) => definition.service === service)?.secrets?.() ?? {}).map(
      (name) => fromSecret(name),
    ),
  ];
}

const probe = (path: string, port: number, periodSeconds: number) => ({
  httpGet: { path, port },
  periodSeconds,
  timeoutSeconds: 3,
  failureThreshold: 3,
});

/** Deployment, Service and HPA of one stateless shop service. */
export function serviceWorkload(service: string): Manifest[] {
  const definition = serviceDefinitions.find((candidate) => candidate.service === service);
  if (!definition) throw new Error(`unknown service ${service}`);
  const port = definition.port;
  const management = managementPortOf(definition);
  const env = {
    PORT: String(port),
    HOST: '0.0.0.0',
    OTEL_SERVICE_NAME: service,
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://otel-collector:${ports.collectorOtlpHttp}`,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    DEPLOYMENT_ENVIRONMENT: 'kubernetes',
    NODE_OPTIONS: '--max-old-space-size=96',
    ...clusterEnv(definition),
  };
  const minReplicas = service === 'catalog' ? 2 : 1;
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: service, labels: labels(service) },
      // No replicas field: the HPA owns the count (minReplicas), and an apply must not reset it.
      spec: {
        selector: { matchLabels: labels(service) },
        template: {
          metadata: { labels: labels(service) },
          spec: {
            securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000 },
            containers: [
              {
                name: service,
                image: serviceImage,
                args: [`/app/services/${service}/dist/src/main.js`],
                ports: [
                  { name: 'http', containerPort: port },
                  ...(management !== port ? [{ name: 'management', containerPort: management }] : []),
                ],
                env: [
                  ...credentialsOf(service, env),
                  ...Object.entries(env).map(([name, value]) => ({ name, value })),
                  // The pod name is the instance: unique per replica, as SERVICE_INSTANCE_ID must be.
                  { name: 'SERVICE_INSTANCE_ID', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                ],
                resources: { requests: { cpu: '50m', memory: '96Mi' }, limits: { memory: '128Mi' } },
                startupProbe: { ...probe('/healthz', management, 2), failureThreshold: 30 },
                livenessProbe: probe('/healthz', management, 10),
                readinessProbe: probe('/readyz', management, 5),
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true },
              },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: service, labels: labels(service) },
      spec: {
        selector: labels(service),
        ports: [
          { name: 'http', port, targetPort: 'http' },
          ...(management !== port ? [{ name: 'management', port: management, targetPort: 'management' }] : []),
        ],
      },
    },
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: service, labels: labels(service) },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: service },
        minReplicas,
        maxReplicas: 6,
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
        ],
      },
    },
  ];
}

/** Pods of the stack that are not shop services: reached from inside the namespace only. */
const infrastructure = [
  'postgres-primary',
  'postgres-replica',
  'redis',
  'rabbitmq',
  'otel-collector',
  'tempo',
  'prometheus',
  'postgres-exporter-primary',
  'postgres-exporter-replica',
  'redis-exporter',
];

/**
 * Who may connect to whom (issue 15): nothing by default; the gateway and Grafana from anywhere (they
 * are the doors); each shop service only from the services that call it, as chaos/proxies.json lists
 * the edges, and from the collector that scrapes its /metrics; the infrastructure from inside the
 * namespace. A pod anywhere else in the cluster reaches no service port and no database.
 */
export function networkPolicies(): Manifest[] {
  const policy = (name: string, spec: Record<string, unknown>): Manifest => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, labels: { 'app.kubernetes.io/part-of': 'confeitaria' } },
    spec: { policyTypes: ['Ingress'], ...spec },
  });
  const pods = (name: string) => ({ podSelector: { matchLabels: { 'app.kubernetes.io/name': name } } });
  const serviceOf = (instance: string) =>
    serviceDefinitions.find((definition) => definition.name === instance)?.service ?? instance;
  const services = [...new Set(serviceDefinitions.map((definition) => definition.service))];
  const policies = [policy('default-deny-ingress', { podSelector: {} })];
  for (const service of services) {
    const definition = serviceDefinitions.find((candidate) => candidate.service === service);
    const port = definition?.port;
    const management = definition ? managementPortOf(definition) : port;
    const callers = [
      ...new Set(proxies.filter((proxy) => serviceOf(proxy.to) === service).map((proxy) => proxy.from)),
    ].sort();
    const from = service === 'gateway' ? [] : [...callers, 'otel-collector'].map(pods);
    policies.push(
      policy(`${service}-ingress`, {
        podSelector: { matchLabels: labels(service) },
        ingress: [
          { ...(from.length ? { from } : {}), ports: [{ protocol: 'TCP', port }] },
          // A management port apart (the gateway's probes and /metrics): the collector's scrape only.
          ...(management !== port
            ? [{ from: [pods('otel-collector')], ports: [{ protocol: 'TCP', port: management }] }]
            : []),
        ],
      }),
    );
  }
  policies.push(
    policy('grafana-ingress', { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'grafana' } }, ingress: [{}] }),
    policy('infrastructure-from-namespace', {
      podSelector: {
        matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: infrastructure }],
      },
      ingress: [{ from: [{ podSelector: {} }] }],
    }),
  );
  return policies;
}

/** The services, one file each, and the network policies, in the base's generated/ folder. */
export function k8sGeneratedFiles(): Record<string, Manifest[]> {
  const services = [...new Set(serviceDefinitions.map((definition) => definition.service))];
  return {
    ...Object.fromEntries(services.map((service) => [`${service}.yaml`, serviceWorkload(service)])),
    'network-policies.yaml': networkPolicies(),
  };
}

/** The collector's scrape targets: one per Service (per-pod scraping needs kubernetes_sd; docs/kubernetes.md). */
export function k8sCollectorTargets(): TargetGroup[] {
  const services = [...new Set(serviceDefinitions.map((definition) => definition.service))];
  return services.map((service) => {
    const first = serviceDefinitions.find((each) => each.service === service);
    return { targets: [`${service}:${first ? managementPortOf(first) : ''}`], labels: { job: service } };
  });
}

/** Prometheus targets: docker's (same Service names), minus what the cluster does not run. */
export function k8sPrometheusTargets(): Record<string, TargetGroup[]> {
  const absent = new Set(['toxiproxy']);
  return Object.fromEntries(
    Object.entries(dockerPrometheusTargets()).map(([job, groups]) => [job, absent.has(job) ? [] : groups]),
  );
}
