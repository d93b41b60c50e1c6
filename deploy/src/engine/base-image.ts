/**
 * The Debian base of every image we build, made here when no registry is reachable: a minimal
 * bookworm from debootstrap, with this machine's apt sources (the mirror, bookworm-updates and the
 * security archive local mode installs from, so both modes get the same package versions), imported
 * into the engine as `confeitaria-debian:bookworm` and passed to the build as DEBIAN_IMAGE. It lives in
 * the engine's data root in the tool cache, so it is made once per machine (about a minute).
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '@confeitaria/stack/components/system-command';

export const baseImage = 'confeitaria-debian:bookworm';

/** The machine's apt source files (one-line or deb822), the ones apt reads. */
function sourceFiles(): string[] {
  const dir = '/etc/apt/sources.list.d';
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((name) => /\.(list|sources)$/.test(name))
        .map((name) => join(dir, name))
    : [];
  return existsSync('/etc/apt/sources.list') ? ['/etc/apt/sources.list', ...files] : files;
}

/** The machine's Debian mirror: the source that serves bookworm itself. */
function mirror(): string {
  for (const file of sourceFiles()) {
    const text = readFileSync(file, 'utf8');
    const oneLine = text.match(/^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+bookworm\s/m)?.[1];
    const deb822 = text.match(/^URIs:\s*(\S+)\s*\nSuites:\s*bookworm[\s]/m)?.[1];
    if (oneLine ?? deb822) return (oneLine ?? deb822) as string;
  }
  return 'http://deb.debian.org/debian';
}

/** Makes the base image unless the engine already has it; returns its name. */
export async function ensureBaseImage(env: NodeJS.ProcessEnv): Promise<string> {
  const present = await runCommand('docker', ['image', 'inspect', baseImage], { env }).then(
    () => true,
    () => false,
  );
  if (present) return baseImage;
  const started = Date.now();
  process.stdout.write(`  making ${baseImage} with debootstrap (first run only, about a minute)\n`);
  const root = mkdtempSync(join(tmpdir(), 'confeitaria-debian-'));
  try {
    await runCommand('debootstrap', ['--variant=minbase', 'bookworm', root, mirror()], { timeoutMs: 900_000 });
    // The machine's Debian sources (updates and security included), not other vendors' repositories.
    rmSync(join(root, 'etc', 'apt', 'sources.list'), { force: true });
    for (const file of sourceFiles()) {
      if (/debian\.org|\/debian(-security)?\b/.test(readFileSync(file, 'utf8'))) cpSync(file, join(root, file));
    }
    rmSync(join(root, 'var', 'cache', 'apt', 'archives'), { recursive: true, force: true });
    await new Promise<void>((resolve, reject) => {
      const tar = spawn('tar', ['-C', root, '--numeric-owner', '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
      const load = spawn('docker', ['import', '--change', 'CMD ["bash"]', '-', baseImage], {
        env,
        stdio: ['pipe', 'ignore', 'inherit'],
      });
      tar.stdout.pipe(load.stdin);
      tar.once('error', reject);
      load.once('error', reject);
      load.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`docker import exited ${code}`))));
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  process.stdout.write(`  made ${baseImage} in ${Math.round((Date.now() - started) / 1000)} s\n`);
  return baseImage;
}
