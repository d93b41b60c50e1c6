/**
 * Fetches the schemas and tools pinned in deploy/schemas.json from the Go module proxy into a cache
 * outside the repository, keyed by version, the way stack/src/tools.ts does for the stack's Go tools:
 * a second run, a fresh clone or CI on the same machine reuses them, and nothing is copied into git.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { cacheDir, repoRoot } from '@confeitaria/stack/paths';
import { goEnv } from '@confeitaria/stack/tools';

const run = promisify(execFile);

interface SchemaPin {
  module: string;
  version: string;
  files: string[];
}
interface ToolPin {
  module: string;
  version: string;
  package: string;
  binary: string;
}
interface Pins {
  'compose-spec': SchemaPin;
  kubernetes: SchemaPin;
  kustomize: ToolPin;
}

export const pins: Pins = JSON.parse(readFileSync(join(repoRoot, 'deploy', 'schemas.json'), 'utf8'));

/** The Kubernetes minor version the manifests are validated against, e.g. "1.35". */
export const kubernetesVersion = pins.kubernetes.version.replace(/^v(\d+\.\d+).*$/, '$1');

async function download(module: string, version: string, env: NodeJS.ProcessEnv): Promise<string> {
  const { stdout } = await run('go', ['mod', 'download', '-json', `${module}@${version}`], {
    env,
    maxBuffer: 1 << 20,
  });
  const answer = JSON.parse(stdout) as { Dir?: string; Error?: string };
  if (!answer.Dir) throw new Error(`go mod download ${module}@${version}: ${answer.Error ?? 'no directory'}`);
  return answer.Dir;
}

/** Returns the cached copy of a pinned schema file (by its base name), fetching the module first if needed. */
export async function schemaFile(name: 'compose-spec' | 'kubernetes', file: string): Promise<string> {
  const pin = pins[name];
  const source = pin.files.find((candidate) => basename(candidate) === file);
  if (!source) throw new Error(`deploy/schemas.json: ${name} pins no file named ${file}`);
  const dir = join(cacheDir, 'schemas', `${name}-${pin.version}`);
  const target = join(dir, file);
  if (existsSync(target)) return target;
  process.stdout.write(`  fetching ${pin.module}@${pin.version} for ${file} (first run only)\n`);
  const moduleDir = await download(pin.module, pin.version, await goEnv());
  mkdirSync(dir, { recursive: true });
  for (const each of pin.files) copyFileSync(join(moduleDir, each), join(dir, basename(each)));
  return target;
}

/** Returns the pinned kustomize binary, building it from the module proxy on first use (about 10 s). */
export async function kustomizeBinary(): Promise<string> {
  const pin = pins.kustomize;
  const target = join(cacheDir, 'tools', `kustomize-${pin.version}`, 'bin', pin.binary);
  if (existsSync(target)) return target;
  process.stdout.write(`  building kustomize ${pin.version} (first run only)\n`);
  const env = await goEnv();
  const source = await download(pin.module, pin.version, env);
  mkdirSync(join(target, '..'), { recursive: true });
  await run('go', ['build', '-trimpath', '-o', `${target}.partial`, pin.package], { cwd: source, env });
  renameSync(`${target}.partial`, target);
  return target;
}
