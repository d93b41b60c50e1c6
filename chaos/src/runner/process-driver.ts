/**
 * Process faults (kill, stop, pause, restart) behind one interface, so a scenario names a process
 * ("payments", "catalog-1") and works the same in local mode (our own processes, signals) and in
 * docker mode (containers of the compose project).
 */
export interface ProcessDriver {
  readonly mode: 'local' | 'docker';
  /** Process names this driver can act on (stack component names = compose service names). */
  names(): string[];
  /** SIGKILL, no chance to drain, and held down: the supervisor (restart policy) leaves it alone until
   * start(). Resolves once the process is gone. */
  kill(name: string): Promise<void>;
  /** SIGKILL left to the supervisor (local) or the restart policy (docker): nothing here restarts it.
   * Resolves once the process is gone (it may already be on its way back). */
  crash(name: string): Promise<void>;
  /** Graceful stop (SIGTERM, drain), held down like kill(). Resolves once the process is gone. */
  stop(name: string): Promise<void>;
  /** SIGSTOP / docker pause: the process holds its sockets but answers nothing. */
  pause(name: string): Promise<void>;
  /** Undoes pause. */
  resume(name: string): Promise<void>;
  /** Starts it if it is not running (idempotent), ends a hold, and resolves once it is healthy. */
  start(name: string): Promise<void>;
  /** Waits until it is running and healthy again, starting nothing (after a crash). */
  awaitHealthy(name: string): Promise<void>;
  /** True when it runs and is not paused. */
  running(name: string): Promise<boolean>;
  /** Every process of the stack (tools included) that is not running and ready now, as `name: why`. */
  notReady(): Promise<string[]>;
  /**
   * Every process of the stack (tools included) with what identifies this incarnation of it (local: the
   * pid; docker: the container's start time), undefined while it is not running. A restart changes it.
   */
  identities(): Promise<Record<string, string | undefined>>;
  /** The last lines of a process's log (for a report on a process that died). */
  recentLog(name: string, lines: number): Promise<string[]>;
}
