/**
 * `docker compose` against the project's own engine (deploy's startDockerEngine), for the docker-mode
 * test: a runner that can stream a long command's output with a heartbeat (a first build visibly
 * progresses), compose on top of it, and the project's containers.
 */
import { spawn } from 'node:child_process';
import { type ContainerState, parseComposePs } from '@confeitaria/chaos/runner/docker-process-driver';
import { repoRoot } from '@confeitaria/stack/paths';

/** The compose files of the test: the stack, and the engine-test overlay on top. */
export const composeFiles = ['docker-compose.yml', 'deploy/docker/compose.engine-test.yml'];

export interface RunOptions {
  env: NodeJS.ProcessEnv;
  /** Print the output as it comes (long steps), with a heartbeat every 30 s. */
  stream?: boolean;
  timeoutMs?: number;
}

/** Runs a program; resolves with its output, rejects quoting the end of it when it fails. */
export function run(file: string, args: string[], options: RunOptions): Promise<string> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: repoRoot, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.length > 4_000_000) output = output.slice(-2_000_000);
      if (options.stream) process.stdout.write(chunk);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const heartbeat = options.stream
      ? setInterval(
          () =>
            process.stdout.write(
              `    … ${args.slice(0, 3).join(' ')} (${Math.round((Date.now() - started) / 1000)} s)\n`,
            ),
          30_000,
        )
      : undefined;
    const timer = setTimeout(() => child.kill('SIGTERM'), options.timeoutMs ?? 120_000);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      clearInterval(heartbeat);
      if (code === 0) return resolve(output);
      const tail = output.trim().split('\n').slice(-25).join('\n');
      reject(new Error(`${file} ${args.join(' ')} failed (${code ?? signal}):\n${tail}`));
    });
  });
}

export const compose = (args: string[], options: RunOptions) => run('docker', ['compose', ...args], options);

/** Every container of the project, as the chaos runner's docker process driver reads them. */
export async function containers(env: NodeJS.ProcessEnv): Promise<ContainerState[]> {
  return parseComposePs(await compose(['ps', '--all', '--format', 'json'], { env }));
}
