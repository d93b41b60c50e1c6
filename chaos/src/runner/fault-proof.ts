/**
 * Proof that a fault landed (issue 17.2): a verdict on a fault that changed nothing would be a verdict
 * on nothing, so each fault's effect is confirmed in data the run recorded before the run is judged.
 *
 *   disable      a TCP connection to the proxy's listen address is refused while it is disabled
 *   kill, crash, stop
 *                the process that ran before the fault (local: its pid; docker: its container's start)
 *                is gone once the fault is applied
 *   pause        the process no longer runs (SIGSTOP / docker pause) once the fault is applied
 *   a toxic      spans crossed the proxy while the toxic was on it (client spans dial the proxy's listen
 *                port: `server.port`), and a latency toxic's delay shows on those client spans against
 *                the baseline's: a toxic on a proxy nobody uses changes nothing. Not Toxiproxy's byte
 *                counters: it adds a connection's bytes only when the connection closes, and pooled
 *                connections (Postgres, AMQP, Redis) outlive a run
 *
 * The first three are checked by the injector at the moment it applies the fault; the last from the
 * run's spans once the collector has written them (its trace file, or Tempo in docker mode). A fault without proof makes the run INVALID, with the reason.
 */
import { connect } from 'node:net';
import type { FaultProof } from '../run-result';
import type { TimedSpan } from '../traces/trace-file';

/** How long a refused connection may take to be refused (a listener still open accepts at once). */
const connectTimeoutMs = 2_000;

/** The host and port a runner dials to reach a Toxiproxy listener (`0.0.0.0:15432` is Toxiproxy's host). */
export function listenerAddress(listen: string, toxiproxyUrl: string): { host: string; port: number } {
  const at = listen.lastIndexOf(':');
  const port = Number(listen.slice(at + 1));
  const bound = listen.slice(0, at).replace(/^\[|\]$/g, '');
  const wildcard = bound === '' || bound === '0.0.0.0' || bound === '::';
  return { host: wildcard ? new URL(toxiproxyUrl).hostname : bound, port };
}

/** Whether a TCP connection to host:port is refused (true), accepted (false) or neither in time. */
export function connectionRefused(host: string, port: number): Promise<boolean | 'timeout'> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (outcome: boolean | 'timeout') => {
      socket.destroy();
      resolve(outcome);
    };
    socket.setTimeout(connectTimeoutMs, () => done('timeout'));
    socket.once('connect', () => done(false));
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code === 'ECONNREFUSED'));
  });
}

/** The proof of a disabled proxy: its listener refuses connections. */
export async function proveDisabled(listen: string, toxiproxyUrl: string): Promise<FaultProof> {
  const { host, port } = listenerAddress(listen, toxiproxyUrl);
  const refused = await connectionRefused(host, port);
  if (refused === true) return { ok: true, detail: `a connection to ${host}:${port} was refused` };
  return {
    ok: false,
    detail:
      refused === 'timeout'
        ? `a connection to ${host}:${port} was neither accepted nor refused within ${connectTimeoutMs / 1000} s`
        : `a connection to ${host}:${port} was still accepted after the proxy was disabled`,
  };
}

/**
 * The proof of a process fault, from the process's identity before and after it (local: pid; docker:
 * the container's start time) and whether it runs now. A kill, crash or stop must have ended the
 * incarnation that ran before (a crash may already be back as a new one); a pause must have stopped it.
 */
export function proveProcessFault(
  kind: 'kill' | 'crash' | 'stop' | 'pause',
  name: string,
  before: string | undefined,
  after: string | undefined,
  runningAfter: boolean,
  /** Local mode: whether the pid that ran before still exists (signal 0); undefined in docker mode. */
  oldPidAlive?: boolean,
): FaultProof {
  if (before === undefined) return { ok: false, detail: `${name} was not running when the fault was applied` };
  if (kind !== 'pause' && oldPidAlive === true)
    return { ok: false, detail: `${name}'s pid ${before} still existed after the ${kind}` };
  if (kind === 'pause') {
    return runningAfter
      ? { ok: false, detail: `${name} (${before}) still ran after the pause` }
      : { ok: true, detail: `${name} (${before}) stopped running` };
  }
  if (after === before) return { ok: false, detail: `${name} (${before}) was still running after the ${kind}` };
  return {
    ok: true,
    detail: `${name} ${oldPidAlive === false ? `pid ${before}` : `(${before})`} gone${after === undefined ? '' : `, back as ${after}`}`,
  };
}

/** Whether a local process id exists (signal 0 checks without signalling). */
export function pidAlive(pid: string): boolean {
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Client-side spans that went through one proxy in a window: how many, and their mean duration. */
export interface EdgeSpans {
  count: number;
  meanMs: number;
}

const spanKinds = { client: 3, producer: 4, consumer: 5 } as const;

/**
 * The spans that crossed a proxy: every span that dialled its listen port (OTel's `server.port`, or
 * the older `net.peer.port`), client spans' durations kept for the latency check. Pure, for the tests.
 */
export function edgeSpans(
  spans: Iterable<TimedSpan>,
  port: number,
  fromMs: number,
  toMs: number,
): { traffic: number; client: EdgeSpans } {
  let traffic = 0;
  let clients = 0;
  let totalMs = 0;
  for (const span of spans) {
    if (span.startMs < fromMs || span.startMs > toMs) continue;
    const dialled = span.attributes['server.port'] ?? span.attributes['net.peer.port'];
    if (String(dialled) !== String(port)) continue;
    if (!Object.values(spanKinds).includes(span.kind as 3)) continue;
    traffic += 1;
    if (span.kind === spanKinds.client) {
      clients += 1;
      totalMs += span.endMs - span.startMs;
    }
  }
  return { traffic, client: { count: clients, meanMs: clients ? totalMs / clients : 0 } };
}

/**
 * The proof of a toxic: traffic crossed its proxy while it was on, and a latency toxic's delay shows on
 * the client spans through it (their mean at least half the toxic's latency above the baseline's).
 */
export function proveToxic(options: {
  proxy: string;
  port: number;
  kind: string;
  /** The toxic's latency (ms) × its toxicity, for a latency toxic. */
  expectedDelayMs?: number;
  baseline: ReturnType<typeof edgeSpans>;
  fault: ReturnType<typeof edgeSpans>;
}): FaultProof {
  const { proxy, port, baseline, fault } = options;
  if (fault.traffic === 0)
    return { ok: false, detail: `no span crossed proxy ${proxy} (port ${port}) while the toxic was on it` };
  const crossed = `${fault.traffic} spans crossed ${proxy} under the toxic`;
  if (options.expectedDelayMs === undefined || options.kind !== 'latency') return { ok: true, detail: crossed };
  if (baseline.client.count === 0 || fault.client.count === 0)
    return { ok: true, detail: `${crossed} (no client spans on both sides to measure its delay)` };
  const added = fault.client.meanMs - baseline.client.meanMs;
  const figures = `client spans' mean ${baseline.client.meanMs.toFixed(1)} → ${fault.client.meanMs.toFixed(1)} ms (+${added.toFixed(1)} ms, n = ${baseline.client.count} / ${fault.client.count}) against the toxic's ${options.expectedDelayMs.toFixed(0)} ms`;
  return added >= options.expectedDelayMs / 2
    ? { ok: true, detail: `${crossed}; ${figures}` }
    : { ok: false, detail: `the toxic's delay did not show on proxy ${proxy}: ${figures}` };
}
