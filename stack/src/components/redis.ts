/**
 * Redis for the local stack (carts, idempotency keys, the catalog cache): a redis-server of our own on
 * the project's port with a config file generated under the state folder, so the machine's Redis on
 * 6379 is never touched. Carts survive a crash: the append-only file is fsynced every second, so a
 * crash of the machine loses at most about one second of writes and a crash of the process none that
 * were acknowledged (the cache-crash scenario measures it). No RDB snapshots.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import type { Component, Health } from '../component';
import { dataDir, stateDir } from '../paths';
import { host, ports } from '../ports';
import { launchedComponent } from './launched-component';

const configFile = join(stateDir, 'redis', 'redis.conf');
const redisDataDir = join(dataDir, 'redis');

function config(): string {
  return `# Written by stack/src/components/redis.ts at every start; edits here are overwritten.
port ${ports.redis}
bind ${host}
protected-mode no
daemonize no
dir ${redisDataDir}
logfile ""
appendonly yes
appendfsync everysec
appendfilename "carts.aof"
save ""
maxmemory 256mb
maxmemory-policy noeviction
`;
}

/** Sends PING over a raw socket: no client library, and it fails fast. */
function ping(timeoutMs = 1_000): Promise<Health> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port: ports.redis });
    let reply = '';
    const done = (health: Health) => {
      socket.destroy();
      resolve(health);
    };
    socket.setTimeout(timeoutMs, () => done({ ok: false, detail: 'PING timed out' }));
    socket.once('error', (error) => done({ ok: false, detail: error.message }));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) {
        done(reply.startsWith('+PONG') ? { ok: true, detail: 'PONG' } : { ok: false, detail: reply.trim() });
      }
    });
  });
}

export const redis = (): Component =>
  launchedComponent({
    name: 'redis',
    ports: [ports.redis],
    url: `redis://${host}:${ports.redis}`,
    command: 'redis-server',
    args: [configFile],
    prepare() {
      mkdirSync(redisDataDir, { recursive: true });
      mkdirSync(join(stateDir, 'redis'), { recursive: true });
      writeFileSync(configFile, config());
    },
    probe: () => ping(),
  });
