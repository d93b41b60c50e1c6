import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** The repository root (stack/dist/src → three levels up). */
export const repoRoot = resolve(__dirname, '..', '..', '..');

/**
 * Where the stack keeps its data, logs and pid files. Outside the repository on purpose: Postgres and
 * RabbitMQ run as their own system users, which cannot enter a checkout under /root or a private temp
 * folder. One stack per machine (the ports are fixed), so one state folder.
 */
export const stateDir = resolve(process.env.CONFEITARIA_STATE_DIR ?? '/var/tmp/confeitaria');
export const logDir = join(stateDir, 'logs');
export const runDir = join(stateDir, 'run');
export const dataDir = join(stateDir, 'data');

/** Built tools (k6, toxiproxy, collector), keyed by version; survives clones and `down`. */
export const cacheDir = resolve(process.env.CONFEITARIA_CACHE_DIR ?? join(homedir(), '.cache', 'confeitaria'));
