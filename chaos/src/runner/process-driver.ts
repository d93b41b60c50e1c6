/**
 * Process faults (kill, stop, pause, restart) behind one interface, so a scenario names a process
 * ("payments", "catalog-1") and works the same in local mode (our own processes, signals) and in
 * docker mode (containers of the compose project).
 */
export interface ProcessDriver {
  readonly mode: 'local' | 'docker';
  /** Process names this driver can act on (stack component names = compose service names). */
  names(): string[];
  /** SIGKILL: no chance to drain. Resolves once the process is gone. */
  kill(name: string): Promise<void>;
  /** Graceful stop (SIGTERM, drain). Resolves once the process is gone. */
  stop(name: string): Promise<void>;
  /** SIGSTOP / docker pause: the process holds its sockets but answers nothing. */
  pause(name: string): Promise<void>;
  /** Undoes pause. */
  resume(name: string): Promise<void>;
  /** Starts it if it is not running (idempotent) and resolves once it is healthy. */
  start(name: string): Promise<void>;
  /** True when it runs and is not paused. */
  running(name: string): Promise<boolean>;
}
