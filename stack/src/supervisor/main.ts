/**
 * Entry point of the supervisor daemon (started by `up`, detached, log in logs/supervisor.log). Nothing
 * thrown anywhere ends it: an error is logged and the watching goes on, since a supervisor that dies
 * of one bad probe would leave the whole stack unwatched. It exits only on SIGTERM (`down`), or at once
 * when it cannot listen, that is when another supervisor of this state folder runs.
 */
import { stateDir } from '../paths';
import { runSupervisor } from './daemon';

const log = (line: string) => console.log(`${new Date().toISOString()} ${line}`);

process.on('uncaughtException', (error) => log(`uncaught: ${error.stack ?? error.message}`));
process.on('unhandledRejection', (reason) => log(`unhandled rejection: ${(reason as Error)?.stack ?? String(reason)}`));

// `up` names the state folder on the command line; the environment it passes must agree.
const named = process.argv[2];
if (named !== undefined && named !== stateDir) {
  log(`started for ${named} but CONFEITARIA_STATE_DIR gives ${stateDir}: refusing to watch the wrong stack`);
  process.exit(2);
}

runSupervisor().catch((error: Error) => {
  log(`cannot supervise: ${error.message}`);
  process.exit(1);
});
