/**
 * A Docker engine of the project's own, for proving docker mode on a machine without Docker Desktop:
 * Debian's docker.io (dockerd 20.10) started as root with its own data root (in the tool cache, so
 * images and build layers survive between runs and clones), exec root and socket, and the pinned
 * compose and buildx plugins (stack/tools.json) in a private DOCKER_CONFIG. It never touches an
 * engine the machine already runs, and stop() stops only an engine this process started.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runCommand } from '@confeitaria/stack/components/system-command';
import { cacheDir } from '@confeitaria/stack/paths';
import { isAlive, waitReaped } from '@confeitaria/stack/process';
import { ensureTools } from '@confeitaria/stack/tools';

const execRoot = '/run/confeitaria-docker';
const socket = join(execRoot, 'docker.sock');
const pidFile = join(execRoot, 'dockerd.pid');

export interface DockerEngine {
  /** The environment for `docker` and `docker compose` against this engine. */
  env: NodeJS.ProcessEnv;
  /** dockerd's version, e.g. 20.10.24+dfsg1. */
  version: string;
  /** Where the engine keeps images, layers and volumes. */
  dataRoot: string;
  /** Stops the engine if this process started it; its data stays for the next run. */
  stop(): Promise<void>;
}

/** Installs Debian's docker.io and debootstrap when they are missing (as stack/bootstrap.sh does). */
async function ensurePackages(): Promise<void> {
  const wanted = ['docker.io', 'debootstrap'];
  const missing: string[] = [];
  for (const name of wanted) {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a dpkg-query format, not a template
    const status = await runCommand('dpkg-query', ['-W', '-f=${Status}', name]).catch(() => '');
    if (!status.includes('install ok installed')) missing.push(name);
  }
  if (!missing.length) return;
  if (process.getuid?.() !== 0) throw new Error(`docker mode's engine needs root to install ${missing.join(', ')}`);
  process.stdout.write(`  installing Debian packages: ${missing.join(', ')}\n`);
  // Debian would start its own dockerd on install; the project starts its own instead.
  const policy = '/usr/sbin/policy-rc.d';
  const ownPolicy = !existsSync(policy);
  if (ownPolicy) await runCommand('sh', ['-c', `printf '#!/bin/sh\\nexit 101\\n' > ${policy} && chmod +x ${policy}`]);
  try {
    await runCommand('apt-get', ['update', '-q'], { timeoutMs: 300_000 });
    await runCommand('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing], {
      env: { DEBIAN_FRONTEND: 'noninteractive' },
      timeoutMs: 600_000,
    });
  } finally {
    if (ownPolicy) rmSync(policy, { force: true });
  }
}

/** A DOCKER_CONFIG holding only the pinned compose and buildx plugins. */
async function dockerConfig(root: string): Promise<string> {
  const tools = await ensureTools(['docker-compose', 'docker-buildx']);
  const plugins = join(root, 'config', 'cli-plugins');
  rmSync(plugins, { recursive: true, force: true });
  mkdirSync(plugins, { recursive: true });
  for (const [name, path] of Object.entries(tools)) if (path) symlinkSync(path, join(plugins, name));
  return join(root, 'config');
}

/** CA certificates the machine trusts beyond Debian's (a TLS-inspecting proxy): handed to image builds. */
function extraCaCerts(): string | undefined {
  const dir = '/usr/local/share/ca-certificates';
  if (!existsSync(dir)) return undefined;
  const pems = readdirSync(dir)
    .filter((name) => name.endsWith('.crt'))
    .map((name) => readFileSync(join(dir, name), 'utf8').trim());
  return pems.length ? pems.join('\n') : undefined;
}

async function answers(env: NodeJS.ProcessEnv): Promise<boolean> {
  return runCommand('docker', ['version', '--format', '{{.Server.Version}}'], { env, timeoutMs: 10_000 }).then(
    () => true,
    () => false,
  );
}

/** Starts the project's engine (or reuses it if it is already running) and waits until it answers. */
export async function startDockerEngine(): Promise<DockerEngine> {
  await ensurePackages();
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a dpkg-query format, not a template
  const version = (await runCommand('dpkg-query', ['-W', '-f=${Version}', 'docker.io'])).trim();
  const root = join(cacheDir, 'docker', `engine-${version.replace(/[^\w.-]/g, '_')}`);
  const dataRoot = join(root, 'data');
  mkdirSync(dataRoot, { recursive: true });
  const caCerts = extraCaCerts();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DOCKER_HOST: `unix://${socket}`,
    DOCKER_CONFIG: await dockerConfig(root),
    DOCKER_BUILDKIT: '1',
    ...(caCerts ? { EXTRA_CA_CERTS: caCerts } : {}),
  };
  let startedHere = false;
  if (!(await answers(env))) {
    mkdirSync(execRoot, { recursive: true });
    const log = openSync(join(root, 'dockerd.log'), 'a');
    const child = spawn(
      'dockerd',
      [
        `--data-root=${dataRoot}`,
        `--exec-root=${execRoot}`,
        `--host=unix://${socket}`,
        `--pidfile=${pidFile}`,
        '--storage-driver=overlay2',
        '--log-level=warn',
      ],
      { detached: true, stdio: ['ignore', log, log] },
    );
    child.unref();
    startedHere = true;
    const deadline = Date.now() + 60_000;
    while (!(await answers(env))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        const tail = readFileSync(join(root, 'dockerd.log'), 'utf8').trim().split('\n').slice(-8).join('\n');
        throw new Error(`dockerd did not start (${child.exitCode ?? 'no answer in 60 s'}):\n${tail}`);
      }
      await sleep(500);
    }
  }
  return {
    env,
    version,
    dataRoot,
    async stop() {
      if (!startedHere || !existsSync(pidFile)) return;
      const pid = Number(readFileSync(pidFile, 'utf8'));
      if (isAlive(pid)) {
        process.kill(pid, 'SIGTERM');
        await waitReaped(pid, 60_000);
      }
    },
  };
}
