/**
 * Runs a k6 script from loadtest/ against the local gateway. The end-of-test summary is exported as
 * JSON next to the run, and metrics are remote-written to Prometheus when it is up, so load-test
 * metrics sit beside the services' own in Grafana. k6 exits 99 when a threshold fails.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths';
import { host, ports } from './ports';
import { probeHttp } from './process';
import { ensureTool } from './tools';

export interface K6Result {
  exitCode: number;
  summaryFile: string;
}

export async function runK6(script: string, env: Record<string, string> = {}): Promise<K6Result> {
  const file = join(repoRoot, 'loadtest', `${script}.js`);
  if (!existsSync(file)) throw new Error(`no k6 script loadtest/${script}.js`);
  const k6 = await ensureTool('k6');
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const outDir = join(repoRoot, 'reports', `${stamp}-k6-${script}`);
  mkdirSync(outDir, { recursive: true });
  const summaryFile = join(outDir, 'summary.json');
  const prometheus = `http://${host}:${ports.prometheus}`;
  const remoteWrite = (await probeHttp(`${prometheus}/-/ready`))?.status === 200;
  const args = ['run', '--summary-export', summaryFile, '--tag', `testid=${stamp}-${script}`];
  if (remoteWrite) args.push('-o', 'experimental-prometheus-rw');
  args.push(file);
  const exitCode = await new Promise<number>((resolve, reject) => {
    const child = spawn(k6, args, {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: {
        ...process.env,
        BASE_URL: `http://${host}:${ports.gateway}`,
        K6_PROMETHEUS_RW_SERVER_URL: `${prometheus}/api/v1/write`,
        K6_PROMETHEUS_RW_TREND_STATS: 'p(50),p(95),p(99),max',
        K6_NO_USAGE_REPORT: 'true',
        ...env,
      },
    });
    child.once('error', reject);
    child.once('exit', (code) => resolve(code ?? 1));
  });
  return { exitCode, summaryFile };
}
