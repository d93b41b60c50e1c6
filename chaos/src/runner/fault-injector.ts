/**
 * Applies a scenario's faults and keeps, for each, the action that undoes it. Rollbacks run in reverse
 * order and always run: at the fault's planned end, and again (idempotently) on error, Ctrl-C or
 * timeout, where `rollbackAll()` finishes with a Toxiproxy reset and every process the run touched
 * back up. Toxiproxy is driven through toxiproxy-node-client.
 */
import { host, ports } from '@confeitaria/stack/ports';
import { Toxiproxy } from 'toxiproxy-node-client';
import type { FaultProof } from '../run-result';
import type { Fault } from '../scenario';
import { pidAlive, proveDisabled, proveProcessFault } from './fault-proof';
import type { ProcessDriver } from './process-driver';

export const toxiproxyUrl = process.env.TOXIPROXY_URL ?? `http://${host}:${ports.toxiproxyApi}`;

/** A fault as applied: what it was, when, and how to take it back. */
export interface AppliedFault {
  id: string;
  kind: string;
  target: string;
  detail: string;
  start: number;
  end?: number;
  /** Undoes the fault; may resolve with the instant the fault really ended (a crash: when it was back). */
  rollback: () => Promise<unknown>;
  /** Evidence the fault landed (fault-proof.ts); a toxic's comes after the run, from its spans. */
  proof?: FaultProof;
  /** A toxic: the proxy's listen address (spans that dialled it crossed the toxic) and, for a latency
   * toxic, the delay it adds on average (latency × toxicity). */
  toxic?: { listen: string; expectedDelayMs?: number };
  /** A process brought back while another fault still blocks one of its dependencies cannot be healthy
   * yet: its health is then checked again once every fault is rolled back, instead of failing the run. */
  healthCheckedLater?: boolean;
}

const describeToxic = (fault: Extract<Fault, { kind: 'toxic' }>) => {
  const attributes = Object.entries(fault.toxic.attributes)
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');
  const toxicity =
    fault.toxic.toxicity !== undefined && fault.toxic.toxicity < 1
      ? `, ${fault.toxic.toxicity * 100}% of connections`
      : '';
  return `${fault.toxic.type} ${attributes} (${fault.toxic.stream ?? 'downstream'}${toxicity})`;
};

export class FaultInjector {
  readonly toxiproxy = new Toxiproxy(toxiproxyUrl);
  /** Every fault applied in this run, rolled back or not (the report's fault windows). */
  readonly applied: AppliedFault[] = [];
  /** Processes the run acted on, and whether it left their restart to the supervisor (a crash). */
  private readonly touchedProcesses = new Map<string, 'crash' | 'held'>();

  constructor(private readonly processes: ProcessDriver) {}

  async proxyNames(): Promise<string[]> {
    return Object.keys(await this.toxiproxy.getAll());
  }

  /** Proxies not in their resting state (disabled, or carrying a toxic), as `name: what`. */
  async leftovers(): Promise<string[]> {
    // Read raw: the client's Proxy objects do not carry their toxics.
    const response = await fetch(`${toxiproxyUrl}/proxies`, { signal: AbortSignal.timeout(5_000) });
    const proxies = (await response.json()) as Record<string, { enabled: boolean; toxics: { name: string }[] }>;
    return Object.entries(proxies).flatMap(([name, { enabled, toxics }]) => {
      const wrong = [...(enabled ? [] : ['disabled']), ...toxics.map((toxic) => `toxic ${toxic.name}`)];
      return wrong.length ? [`${name}: ${wrong.join(', ')}`] : [];
    });
  }

  /** Applies one fault (each proxy of a proxy fault is its own window) and returns what was applied. */
  async apply(fault: Fault): Promise<AppliedFault[]> {
    const now = Date.now();
    const made: AppliedFault[] = [];
    if (fault.kind === 'toxic' || fault.kind === 'disable') {
      for (const name of fault.proxies) {
        const proxy = await this.toxiproxy.get(name);
        if (fault.kind === 'disable') {
          await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
          made.push({
            id: `disable@${name}`,
            kind: 'disable',
            target: name,
            detail: 'proxy disabled (connections refused)',
            start: now,
            proof: await proveDisabled(proxy.listen, toxiproxyUrl),
            rollback: async () => {
              const current = await this.toxiproxy.get(name);
              await current.update({ enabled: true, listen: current.listen, upstream: current.upstream });
            },
          });
        } else {
          const toxicName = `chaos-${fault.toxic.type}-${this.applied.length + made.length}`;
          const toxic = await proxy.addToxic({
            name: toxicName,
            type: fault.toxic.type,
            stream: fault.toxic.stream ?? 'downstream',
            toxicity: fault.toxic.toxicity ?? 1,
            attributes: fault.toxic.attributes as never,
          });
          made.push({
            id: `${fault.toxic.type}@${name}`,
            kind: fault.toxic.type,
            target: name,
            detail: describeToxic(fault),
            start: now,
            toxic: {
              listen: proxy.listen,
              ...(fault.toxic.type === 'latency'
                ? { expectedDelayMs: (fault.toxic.attributes.latency ?? 0) * (fault.toxic.toxicity ?? 1) }
                : {}),
            },
            rollback: () => toxic.remove().catch((error: Error) => ignoreMissing(error)),
          });
        }
      }
    } else {
      const name = fault.process;
      if (this.touchedProcesses.get(name) !== 'held')
        this.touchedProcesses.set(name, fault.kind === 'crash' ? 'crash' : 'held');
      const rollbacks = {
        kill: () => this.processes.start(name),
        stop: () => this.processes.start(name),
        pause: () => this.processes.resume(name),
        // Nothing scripted brings a crashed process back: the rollback only waits for the supervisor,
        // and the fault window ends when the process was back, not when the rollback looked.
        crash: () => back,
      };
      const rollback = rollbacks[fault.kind];
      const before = ((await this.processes.identities().catch(() => ({}))) as Record<string, string | undefined>)[
        name
      ];
      await this.processes[fault.kind](name);
      const after = ((await this.processes.identities().catch(() => ({}))) as Record<string, string | undefined>)[name];
      const proof = proveProcessFault(
        fault.kind,
        name,
        before,
        after,
        await this.processes.running(name).catch(() => false),
        this.processes.mode === 'local' && before !== undefined ? pidAlive(before) : undefined,
      );
      const back =
        fault.kind === 'crash' ? this.processes.awaitHealthy(name).then(() => Date.now()) : Promise.resolve(undefined);
      back.catch(() => {}); // awaited by the rollback, which reports the failure
      const details = {
        kill: 'SIGKILL, held down, started again at rollback',
        crash: 'SIGKILL, left to the supervisor (nothing scripted restarts it)',
        stop: 'SIGTERM (drained), held down, started again at rollback',
        pause: 'SIGSTOP, SIGCONT at rollback',
      };
      made.push({
        id: `${fault.kind}@${name}`,
        kind: fault.kind,
        target: name,
        detail: details[fault.kind],
        start: now,
        proof,
        rollback,
      });
    }
    this.applied.push(...made);
    return made;
  }

  /** Notes on rollbacks whose outcome is checked later (see `healthCheckedLater`). */
  readonly notes: string[] = [];

  /** Rolls one applied fault back (once). */
  async rollback(fault: AppliedFault): Promise<void> {
    if (fault.end !== undefined) return;
    let endedAt: unknown;
    try {
      endedAt = await fault.rollback();
    } catch (error) {
      if (!fault.healthCheckedLater) throw error;
      this.notes.push(`${fault.id}: ${(error as Error).message}; checked again after every fault was rolled back`);
    }
    fault.end = typeof endedAt === 'number' ? endedAt : Date.now();
  }

  /** Rolls back everything still active, newest first, then resets Toxiproxy and checks every process
   * the run touched is running and healthy. Collects errors instead of stopping at the first. */
  async rollbackAll(): Promise<string[]> {
    const errors: string[] = [];
    for (const fault of [...this.applied].reverse()) {
      await this.rollback(fault).catch((error: Error) => errors.push(`${fault.id}: ${error.message}`));
    }
    await this.toxiproxy.reset().catch((error: Error) => errors.push(`toxiproxy reset: ${error.message}`));
    // start() is idempotent and waits until healthy: now that no fault blocks a dependency, it must be.
    // A crashed process is the supervisor's to restart; starting it here too could launch it twice.
    for (const [name, how] of this.touchedProcesses) {
      const back = how === 'crash' ? this.processes.awaitHealthy(name) : this.processes.start(name);
      await back.catch((error: Error) => errors.push(`${name}: ${error.message}`));
    }
    return errors;
  }

  active(): AppliedFault[] {
    return this.applied.filter((fault) => fault.end === undefined);
  }
}

/** A toxic already gone (removed by a reset) is rolled back. */
function ignoreMissing(error: Error): void {
  if (!/not found|404/i.test(error.message)) throw error;
}
