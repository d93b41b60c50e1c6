/**
 * Extra service processes the benchmarks start beside the stack: the same code and configuration as
 * the stack's own, wired straight to the datastores (no Toxiproxy, so a proxy hop does not blur the
 * comparison), with or without the telemetry preload. Each gets its own port (183xx) and name
 * (`bench-<name>`), so `stopInstances()` and a crashed run's leftovers are easy to find.
 */
import { join } from 'node:path';
import { serviceDefinitions } from '@confeitaria/stack/components/services';
import { repoRoot } from '@confeitaria/stack/paths';
import { host, ports } from '@confeitaria/stack/ports';
import { launch, livePid, probeHttp, terminate } from '@confeitaria/stack/process';
import { proxies, upstreamAddress } from '@confeitaria/stack/proxies';

const preload = join(repoRoot, 'services', 'platform', 'dist', 'src', 'telemetry', 'preload.js');
const started = new Set<string>();

/**
 * The stack's environment for a service, with every proxied address replaced by the direct one, and
 * the machine's secrets it reads (identity's key-encryption key: without it an extra identity could
 * not open the stack's signing key). No MANAGEMENT_PORT: an extra instance answers its probes on its own
 * port (the stack's gateway holds the management one).
 */
export function directEnv(name: string): Record<string, string> {
  const definition = serviceDefinitions.find((candidate) => candidate.name === name);
  if (!definition) throw new Error(`no service ${name}`);
  const { MANAGEMENT_PORT: _, ...env } = { ...definition.env(), ...definition.secrets?.() };
  for (const [key, value] of Object.entries(env)) {
    env[key] = value.replace(/127\.0\.0\.1:(\d+)/g, (address, port: string) => {
      const proxy = proxies.find((candidate) => candidate.listen === Number(port));
      return proxy ? upstreamAddress(proxy.to) : address;
    });
  }
  return env;
}

export interface InstanceOptions {
  /** bench-… process name. */
  name: string;
  /** Folder under services/. */
  service: string;
  port: number;
  env: Record<string, string>;
  telemetry: boolean;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeArgs?: string[];
}

/** Starts one instance and waits until it is ready; returns its base URL. */
export async function startInstance(options: InstanceOptions): Promise<string> {
  const main = join(repoRoot, 'services', options.service, 'dist', 'src', 'main.js');
  const args = [...(options.nodeArgs ?? []), ...(options.telemetry ? ['--require', preload] : []), main];
  const env: Record<string, string> = {
    PORT: String(options.port),
    HOST: host,
    OTEL_SERVICE_NAME: options.service,
    SERVICE_INSTANCE_ID: `${options.name}@${host}:${options.port}`,
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://${host}:${ports.collectorOtlpHttp}`,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    LOG_LEVEL: 'warn',
    ...(options.telemetry ? {} : { OTEL_SDK_DISABLED: 'true' }),
    ...options.env,
  };
  if (livePid(options.name) !== undefined) await terminate(options.name);
  launch(options.name, process.execPath, args, { cwd: repoRoot, env });
  started.add(options.name);
  const url = `http://${host}:${options.port}`;
  const deadline = Date.now() + 30_000;
  while ((await probeHttp(`${url}/readyz`))?.status !== 200) {
    if (Date.now() > deadline || livePid(options.name) === undefined) {
      throw new Error(`${options.name} did not become ready (log: npm run stack -- logs ${options.name})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return url;
}

export async function stopInstance(name: string): Promise<void> {
  await terminate(name, 10_000);
  started.delete(name);
}

/** Stops every instance this run started (also on error: the harness calls it in `finally`). */
export async function stopInstances(): Promise<void> {
  for (const name of [...started]) await stopInstance(name);
}

/** Names of the instances running now (for CPU accounting). */
export const runningInstances = () => [...started];

/** The bench ports: 18300 + a small offset per instance. */
export const benchPort = (offset: number) => 18_300 + offset;
