/**
 * Builds the pinned Go tools (stack/tools.json) into a cache outside the repository, keyed by version,
 * so a second run, a fresh clone or CI on the same machine reuses them. Only the Go module proxy is
 * used: each module is downloaded at its exact version and built from its own go.mod and go.sum.
 */
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { withFileLock } from './file-lock';
import { cacheDir, repoRoot } from './paths';

const run = promisify(execFile);

interface GoTool {
  module: string;
  version: string;
  package: string;
  binary: string;
  /** `docker`: needed only to run docker mode (the engine's compose and buildx plugins). */
  for?: 'docker';
  /** The Go variable that carries the version, set with -ldflags -X as the release builds do. */
  versionVariable?: string;
}
interface CollectorTool {
  builder: string;
  version: string;
  manifest: string;
  binary: string;
}
interface ToolPins {
  go: string;
  k6: GoTool;
  'toxiproxy-server': GoTool;
  'toxiproxy-cli': GoTool;
  otelcol: CollectorTool;
  'docker-compose': GoTool;
  'docker-buildx': GoTool;
}
export type ToolName = Exclude<keyof ToolPins, 'go'>;

export const toolPins: ToolPins = JSON.parse(readFileSync(join(repoRoot, 'stack', 'tools.json'), 'utf8'));

/** Every pinned tool a mode needs: local mode's, or those and the docker engine's plugins. */
export function toolNames(mode: 'local' | 'docker' = 'local'): ToolName[] {
  return (Object.keys(toolPins) as (keyof ToolPins)[]).filter(
    (key): key is ToolName =>
      key !== 'go' && !key.startsWith('$') && (mode === 'docker' || !('for' in toolPins[key] && toolPins[key].for)),
  );
}

export function isToolName(name: string): name is ToolName {
  return toolNames('docker').includes(name as ToolName);
}

/** Where a tool's binary lives in the cache (whether or not it is built yet). */
export function toolPath(name: ToolName): string {
  const pin = toolPins[name];
  let key = `${name}-${pin.version}`;
  // A version stamped in at link time makes a different binary: its own cache entry.
  if ('versionVariable' in pin && pin.versionVariable)
    key += `-${createHash('sha256').update(pin.versionVariable).digest('hex').slice(0, 8)}`;
  if ('manifest' in pin) {
    // A changed manifest is a different collector, so it gets its own cache entry.
    const digest = createHash('sha256')
      .update(readFileSync(join(repoRoot, pin.manifest)))
      .digest('hex');
    key += `-${digest.slice(0, 12)}`;
  }
  return join(cacheDir, 'tools', key, 'bin', pin.binary);
}

/** Go's environment for reproducible, proxy-only builds with the machine's own toolchain. */
export async function goEnv(): Promise<NodeJS.ProcessEnv> {
  const { stdout } = await run('go', ['env', 'GOPROXY']);
  const proxies = stdout
    .trim()
    .split(/[,|]/)
    .filter((entry) => entry && entry !== 'direct' && entry !== 'off');
  return {
    ...process.env,
    GOPROXY: proxies.length ? proxies.join(',') : stdout.trim(),
    GOFLAGS: '-mod=mod',
    // The machine's Go must be the pinned one (checked by assertGoVersion), so both modes' tools
    // come from one compiler.
    GOTOOLCHAIN: 'local',
    CGO_ENABLED: '0',
  };
}

/** Runs a build step, printing a heartbeat so a long first build visibly progresses. */
async function step(label: string, command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  const started = Date.now();
  const heartbeat = setInterval(() => {
    process.stdout.write(`    … ${label} (${Math.round((Date.now() - started) / 1000)} s)\n`);
  }, 15_000);
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString()).slice(-4_000);
      });
      child.once('error', reject);
      child.once('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`${label} failed (exit ${code}):\n${stderr.trim()}`)),
      );
    });
  } finally {
    clearInterval(heartbeat);
  }
}

/** Refuses to build with a Go other than the pin: docker mode's images compile with exactly that one. */
async function assertGoVersion(): Promise<void> {
  const { stdout } = await run('go', ['env', 'GOVERSION']);
  if (stdout.trim() !== toolPins.go)
    throw new Error(
      `stack/tools.json pins ${toolPins.go} but \`go\` here is ${stdout.trim()}: install ${toolPins.go} (https://go.dev/dl/) so local and docker mode build the same binaries`,
    );
}

async function buildGoTool(pin: GoTool, target: string): Promise<void> {
  await assertGoVersion();
  const env = await goEnv();
  const { stdout } = await run('go', ['mod', 'download', '-json', `${pin.module}@${pin.version}`], { env });
  const source = (JSON.parse(stdout) as { Dir: string }).Dir;
  await step(
    `go build ${pin.module}@${pin.version}`,
    'go',
    [
      'build',
      '-trimpath',
      ...(pin.versionVariable ? ['-ldflags', `-X ${pin.versionVariable}=${pin.version}`] : []),
      '-o',
      target,
      pin.package,
    ],
    source,
    env,
  );
}

async function buildCollector(pin: CollectorTool, target: string): Promise<void> {
  await assertGoVersion();
  const env = await goEnv();
  const work = `${target}.src`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const { stdout } = await run('go', ['mod', 'download', '-json', `${pin.builder}@${pin.version}`], { env });
  const builderSource = (JSON.parse(stdout) as { Dir: string }).Dir;
  const builder = join(work, 'builder');
  await step(`go build ocb ${pin.version}`, 'go', ['build', '-trimpath', '-o', builder, '.'], builderSource, env);
  // The builder takes manifest keys from the environment: dist.output_path sends its output to the cache.
  await step(
    'ocb: generate and compile the collector (the long step)',
    builder,
    ['--config', join(repoRoot, pin.manifest)],
    repoRoot,
    {
      ...env,
      'dist.output_path': join(work, 'dist'),
    },
  );
  renameSync(join(work, 'dist', pin.binary), target);
  rmSync(work, { recursive: true, force: true });
}

/**
 * Returns the tool's binary, building it first if the cache does not have this version. The cache is
 * shared by every checkout and stack on the machine: a build holds a lock, and whoever comes second
 * waits for it and uses its binary (two builds in one folder delete each other's work).
 */
export async function ensureTool(name: ToolName): Promise<string> {
  // An image carries its tools prebuilt (Dockerfile, target runner) and names their folder here.
  const prebuilt = process.env.CONFEITARIA_PREBUILT_TOOLS;
  if (prebuilt && existsSync(join(prebuilt, toolPins[name].binary))) return join(prebuilt, toolPins[name].binary);
  const target = toolPath(name);
  if (existsSync(target)) return target;
  mkdirSync(join(target, '..'), { recursive: true });
  const lock = `${target}.lock`;
  if (existsSync(lock)) process.stdout.write(`  waiting for another build of ${name} into the same cache\n`);
  return withFileLock(
    lock,
    `building ${name}`,
    async () => {
      if (existsSync(target)) return target;
      const pin = toolPins[name];
      process.stdout.write(`  building ${name} ${pin.version} into ${join(target, '..', '..')} (first run only)\n`);
      const started = Date.now();
      const partial = `${target}.partial`;
      if ('manifest' in pin) await buildCollector(pin, partial);
      else await buildGoTool(pin, partial);
      renameSync(partial, target);
      process.stdout.write(`  built ${name} in ${Math.round((Date.now() - started) / 1000)} s\n`);
      return target;
    },
    60 * 60_000,
  );
}

/** Builds every named tool that is missing (default: local mode's); sequential, because Go builds saturate both cores. */
export async function ensureTools(names: ToolName[] = toolNames('local')): Promise<Partial<Record<ToolName, string>>> {
  const paths: Partial<Record<ToolName, string>> = {};
  for (const name of names) paths[name] = await ensureTool(name);
  return paths;
}
