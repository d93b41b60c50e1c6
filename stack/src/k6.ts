/**
 * Runs a k6 script from loadtest/ under a load profile (loadtest/lib/profiles.js) against the local gateway. The end-of-test summary is exported as
 * JSON next to the run, and metrics are remote-written to Prometheus when it is up, so load-test
 * metrics sit beside the services' own in Grafana. k6 exits 99 when a threshold fails.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths';
import { host, ports } from './ports';
import { probeHttp } from './process';
import { ensureTool } from './tools';

export interface K6Result {
  exitCode: number;
  summaryFile: string;
  /** Order ids the client saw accepted, one per line (the auditor's client ledger). */
  ledgerFile: string;
  ledger: string[];
}

export interface K6Options {
  /** smoke (default), load, stress, spike, soak or chaos. */
  profile?: string;
  /** RATE, DURATION, VUS, … passed to the script. */
  env?: Record<string, string>;
  /** Where the summary, log and ledger go (default reports/<stamp>-k6-<script>-<profile>/). */
  outDir?: string;
  /** Tags every metric (testid label in Prometheus); default derived from the stamp. */
  testId?: string;
  /** Aborting sends k6 SIGINT: it stops its VUs and still writes its summary. */
  signal?: AbortSignal;
  /** Send k6's own console output to k6-output.txt instead of the terminal. */
  quiet?: boolean;
}

export const k6Profiles = ['smoke', 'load', 'stress', 'spike', 'soak', 'chaos'] as const;

export async function runK6(script: string, options: K6Options = {}): Promise<K6Result> {
  const file = join(repoRoot, 'loadtest', `${script}.js`);
  if (!existsSync(file)) throw new Error(`no k6 script loadtest/${script}.js`);
  const profile = options.profile ?? 'smoke';
  if (!(k6Profiles as readonly string[]).includes(profile)) {
    throw new Error(`unknown profile ${profile}; one of ${k6Profiles.join(', ')}`);
  }
  const k6 = await ensureTool('k6');
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const outDir = options.outDir ?? join(repoRoot, 'reports', `${stamp}-k6-${script}-${profile}`);
  mkdirSync(outDir, { recursive: true });
  const summaryFile = join(outDir, 'summary.json');
  const prometheus = process.env.PROMETHEUS_URL ?? `http://${host}:${ports.prometheus}`;
  const remoteWrite = (await probeHttp(`${prometheus}/-/ready`))?.status === 200;
  const logFile = join(outDir, 'k6-log.jsonl');
  const args = [
    'run',
    '--summary-export',
    summaryFile,
    '--summary-trend-stats',
    'avg,min,med,max,p(90),p(95),p(99)',
    '--log-output',
    `file=${logFile}`,
    '--log-format',
    'json',
    '--tag',
    `testid=${options.testId ?? `${stamp}-${script}-${profile}`}`,
  ];
  if (remoteWrite) args.push('-o', 'experimental-prometheus-rw');
  args.push(file);
  const exitCode = await new Promise<number>((resolve, reject) => {
    const output = options.quiet ? openSync(join(outDir, 'k6-output.txt'), 'w') : 'inherit';
    const child = spawn(k6, args, {
      stdio: ['ignore', output, output],
      env: {
        ...process.env,
        BASE_URL: process.env.BASE_URL ?? `http://${host}:${ports.gateway}`,
        K6_PROMETHEUS_RW_SERVER_URL: `${prometheus}/api/v1/write`,
        K6_PROMETHEUS_RW_TREND_STATS: 'p(50),p(95),p(99),max',
        K6_NO_USAGE_REPORT: 'true',
        PROFILE: profile,
        ...options.env,
      },
    });
    if (typeof output === 'number') closeSync(output);
    const abort = () => child.kill('SIGINT');
    options.signal?.addEventListener('abort', abort, { once: true });
    child.once('exit', () => options.signal?.removeEventListener('abort', abort));
    child.once('error', reject);
    child.once('exit', (code) => resolve(code ?? 1));
  });
  const ledger = extractLedger(logFile);
  const ledgerFile = join(outDir, 'ledger.txt');
  writeFileSync(ledgerFile, ledger.map((id) => `${id}\n`).join(''));
  return { exitCode, summaryFile, ledgerFile, ledger };
}

/** The scripts log `{"ledger": "<order id>"}` for every accepted order; k6 wraps each in a JSON log line. */
function extractLedger(logFile: string): string[] {
  if (!existsSync(logFile)) return [];
  const ids: string[] = [];
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    if (!line.includes('ledger')) continue;
    try {
      const message = JSON.parse((JSON.parse(line) as { msg: string }).msg) as { ledger?: string };
      if (message.ledger) ids.push(message.ledger);
    } catch {
      // not a ledger line
    }
  }
  return ids;
}
