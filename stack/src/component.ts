/** One thing the local stack starts: an infrastructure server, a tool, or a service. */
export interface Component {
  readonly name: string;
  /** What kind of thing it is, for the status table. */
  readonly kind: 'infra' | 'tool' | 'service';
  /** Ports it listens on: `status` shows them, `down` checks they are released. */
  readonly ports: readonly number[];
  /** Where its output goes; `logs <name>` shows it and a failed start quotes its last lines. */
  readonly logFile: string;
  /** A URL worth printing after `up` (a UI, a metrics page, an API). */
  readonly url?: string;
  /** Starts it unless it already runs. Idempotent. Resolves once the process is launched. */
  start(): Promise<void>;
  /** One quick probe. Never throws. */
  health(): Promise<Health>;
  /** The main process id, when it runs. */
  pid(): Promise<number | undefined>;
  /** Stops it and waits until its process is gone. Idempotent. */
  stop(): Promise<void>;
}

export interface Health {
  ok: boolean;
  detail: string;
}
