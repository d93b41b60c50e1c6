/**
 * Runs a k6 script from loadtest/ under a load profile (loadtest/lib/profiles.js) against the local gateway. The end-of-test summary is exported as
 * JSON next to the run, and metrics are remote-written to Prometheus when it is up, so load-test
 * metrics sit beside the services' own in Grafana. k6 exits 99 when a threshold fails, 107 when the
 * script threw (a `fail()` in setup() included).
 *
 * k6's JSON log goes to its stderr, which is copied line by line to `k6-log.jsonl` and handed to
 * `onLog` as it comes: k6's own file output buffers until k6 exits, too late for a runner that must
 * know when setup() is over or why k6 stopped.
 */
import { spawn } from 'node:child_process';
import { closeSync, createWriteStream, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { repoRoot } from './paths';
import { host, ports } from './ports';
import { probeHttp } from './process';
import { ensureTool } from './tools';

export interface K6Result {
  /** k6's exit code; 1 when a signal ended it (see `signal`). */
  exitCode: number;
  /** The signal that ended k6, when one did (SIGINT from `signal` lets it finish its summary). */
  signal?: NodeJS.Signals;
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
  /**
   * Also write every request k6 makes to <outDir>/requests.csv.gz (`--out csv`, times in Unix
   * milliseconds, each stamped when its response ended): the chaos runner's client-side timings.
   */
  requestsCsv?: boolean;
  /** Called with k6's pid once it is spawned (the chaos runner samples its CPU). */
  onSpawn?: (pid: number) => void;
  /** Aborting sends k6 SIGINT: it stops its VUs and still writes its summary. */
  signal?: AbortSignal;
  /** Send k6's own console output to k6-output.txt instead of the terminal. */
  quiet?: boolean;
  /** Every line of k6's JSON log, as k6 writes it (console.log lines have `source: 'console'`). */
  onLog?: (entry: K6LogEntry) => void;
  /**
   * Spread VUs over many loopback source addresses (`--local-ips`), so the gateway sees a crowd of
   * clients rather than one address with one rate-limit budget. Default: on for the people profiles
   * (crowd, staircase) and the shopper seeding, where the machine allows it.
   */
  crowd?: boolean;
}

/** Where `requestsCsv` makes k6 write its requests (gzipped: k6 compresses a file named .gz). */
export const requestsCsvFile = (outDir: string) => join(outDir, 'requests.csv.gz');

/** The loopback addresses a crowd comes from (k6 --local-ips): 249 clients. */
export const crowdAddresses = '127.0.0.2-127.0.0.250';

/**
 * Whether this machine routes the whole 127.0.0.0/8 to loopback (Linux does; macOS and Windows have
 * 127.0.0.1 only unless aliases are added), tried by listening on the last address of the range.
 */
function loopbackAliasesWork(): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(0, '127.0.0.250', () => server.close(() => resolve(true)));
  });
}

/**
 * Whether a crowd sent to `baseUrl` can come from many loopback addresses: the gateway is on this
 * machine's loopback, and this machine has the aliases (a chaos runner's container reaches the gateway
 * by its service name, where a 127.0.0.x source address cannot reach it).
 */
export async function crowdCanSpread(baseUrl: string): Promise<boolean> {
  return ['127.0.0.1', 'localhost'].includes(new URL(baseUrl).hostname) && (await loopbackAliasesWork());
}

/** One line of k6's JSON log (`--log-format json`). */
export interface K6LogEntry {
  level: string;
  msg: string;
  time?: string;
  /** `console` for the script's console.log, `stacktrace` for a script exception. */
  source?: string;
  hint?: string;
  error?: string;
}

/** Where runK6 keeps k6's log in a run's folder. */
export const k6LogFile = (outDir: string) => join(outDir, 'k6-log.jsonl');

/** A log line as an entry; undefined for anything that is not k6 JSON. */
export function parseK6LogLine(line: string): K6LogEntry | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const entry = JSON.parse(line) as Partial<K6LogEntry>;
    return typeof entry.level === 'string' && typeof entry.msg === 'string' ? (entry as K6LogEntry) : undefined;
  } catch {
    return undefined;
  }
}

/** Every entry of a k6 log file (none when it does not exist). */
export function readK6Log(logFile: string): K6LogEntry[] {
  if (!existsSync(logFile)) return [];
  return readFileSync(logFile, 'utf8')
    .split('\n')
    .flatMap((line) => parseK6LogLine(line) ?? []);
}

/** What a script logged with console.log(JSON.stringify(value)), when the entry is such a line. */
export function consoleJson(entry: K6LogEntry): Record<string, unknown> | undefined {
  if (entry.source !== 'console' || !entry.msg.startsWith('{')) return undefined;
  try {
    return JSON.parse(entry.msg) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

export const k6Profiles = ['smoke', 'load', 'stress', 'spike', 'soak', 'chaos', 'crowd', 'staircase'] as const;
/** `k6 [profile] [--script s]` (npm run loadtest): the script (default journey) and profile (default smoke). */
export function parseK6Args(args: string[]): { script: string; profile: string } {
  const scriptAt = args.indexOf('--script');
  const script = scriptAt >= 0 ? args[scriptAt + 1] : undefined;
  if (scriptAt >= 0 && (!script || script.startsWith('-'))) throw new Error('--script needs a script name');
  const profile = args.find((arg, i) => !arg.startsWith('-') && (scriptAt < 0 || i !== scriptAt + 1));
  return { script: script ?? 'journey', profile: profile ?? 'smoke' };
}

/** Profiles whose VUs are people (loadtest/lib/profiles.js): they come as a crowd by default. */
const peopleProfiles = new Set(['crowd', 'staircase']);

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
  const logFile = k6LogFile(outDir);
  const args = [
    'run',
    '--summary-export',
    summaryFile,
    '--summary-trend-stats',
    'avg,min,med,max,p(90),p(95),p(99)',
    '--log-output',
    'stderr',
    '--log-format',
    'json',
    '--tag',
    `testid=${options.testId ?? `${stamp}-${script}-${profile}`}`,
  ];
  if (remoteWrite) args.push('-o', 'experimental-prometheus-rw');
  if (options.requestsCsv) args.push('-o', `csv=${requestsCsvFile(outDir)}`);
  const baseUrl = process.env.BASE_URL ?? `http://${host}:${ports.gateway}`;
  if (options.crowd ?? (peopleProfiles.has(profile) || script === 'seed-shoppers')) {
    if (await crowdCanSpread(baseUrl)) args.push('--local-ips', crowdAddresses);
    else {
      console.warn(
        '! k6 runs from one address (no loopback aliases here, or a remote BASE_URL): every VU shares one ' +
          'per-address budget, so logins beyond AUTH_RATE_LIMIT_BURST wait their Retry-After',
      );
    }
  }
  args.push(file);
  const exit = await new Promise<{ code: number; signal: NodeJS.Signals | null }>((resolve, reject) => {
    const output = options.quiet ? openSync(join(outDir, 'k6-output.txt'), 'w') : 'inherit';
    const child = spawn(k6, args, {
      stdio: ['ignore', output, 'pipe'],
      env: {
        ...process.env,
        BASE_URL: baseUrl,
        K6_PROMETHEUS_RW_SERVER_URL: `${prometheus}/api/v1/write`,
        K6_PROMETHEUS_RW_TREND_STATS: 'p(50),p(95),p(99),max',
        K6_NO_USAGE_REPORT: 'true',
        K6_CSV_TIME_FORMAT: 'unix_milli',
        PROFILE: profile,
        ...options.env,
      },
    });
    if (typeof output === 'number') closeSync(output);
    if (child.pid !== undefined) options.onSpawn?.(child.pid);
    const log = createWriteStream(logFile);
    let partial = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      log.write(chunk);
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        const entry = parseK6LogLine(line);
        if (entry) options.onLog?.(entry);
      }
    });
    const abort = () => child.kill('SIGINT');
    options.signal?.addEventListener('abort', abort, { once: true });
    child.once('exit', () => options.signal?.removeEventListener('abort', abort));
    child.once('error', reject);
    // 'close', not 'exit': stderr is read to its end (the last log lines say why k6 stopped).
    child.once('close', (code, signal) => log.end(() => resolve({ code: code ?? 1, signal })));
  });
  const ledger = extractLedger(logFile);
  const ledgerFile = join(outDir, 'ledger.txt');
  writeFileSync(ledgerFile, ledger.map((id) => `${id}\n`).join(''));
  return { exitCode: exit.code, ...(exit.signal ? { signal: exit.signal } : {}), summaryFile, ledgerFile, ledger };
}

/** The scripts log `{"ledger": "<order id>"}` for every accepted order; k6 wraps each in a JSON log line. */
function extractLedger(logFile: string): string[] {
  return readK6Log(logFile).flatMap((entry) => {
    const ledger = consoleJson(entry)?.ledger;
    return typeof ledger === 'string' ? [ledger] : [];
  });
}
