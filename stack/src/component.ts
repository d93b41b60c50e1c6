/** One thing the local stack starts: an infrastructure server, a tool, a service, or the supervisor. */
export interface Component {
  readonly name: string;
  /** What kind of thing it is, for the status table. */
  readonly kind: 'infra' | 'tool' | 'service' | 'supervisor';
  /** Ports it listens on: `status` shows them, `down` checks they are released. */
  readonly ports: readonly number[];
  /** Where its output goes; `logs <name>` shows it and a failed start quotes its last lines. */
  readonly logFile: string;
  /** A URL worth printing after `up` (a UI, a metrics page, an API). */
  readonly url?: string;
  /**
   * Answers 200 while the process can make progress (a kubelet liveness probe): the supervisor kills and
   * restarts a process that fails it for long enough. Services only; readiness is `health()`.
   */
  readonly livenessUrl?: string;
  /** Starts it unless it already runs. Idempotent. Resolves once the process is launched. */
  start(): Promise<void>;
  /** One quick probe. Never throws. */
  health(): Promise<Health>;
  /** The main process id, when it runs: the one `stop()` signals and its pid file names. */
  pid(): Promise<number | undefined>;
  /**
   * The process a crash kills, when it is not `pid()` (RabbitMQ's pid() is the runuser wrapper, the
   * server is the beam.smp below it). The supervisor watches this one. Default: pid().
   */
  serverPid?(): Promise<number | undefined>;
  /** Stops it and waits until its process is gone. Idempotent. */
  stop(): Promise<void>;
}

export interface Health {
  ok: boolean;
  detail: string;
}
