/**
 * The supervisor as a component of its own (src/supervisor/main.ts): `up` starts it before anything
 * else, `status` shows its health, `down` stops it first, so that nothing it watches is restarted
 * while the stack is being taken down. One per state folder: a second one finds the port taken and
 * exits, and `start()` does nothing while one runs.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Component, Health } from '../component';
import { stateDir } from '../paths';
import { host, ports } from '../ports';
import { isAlive, launch, livePid, logFileOf, portOpen, probeHttp, tail, terminate } from '../process';

const name = 'supervisor';
export const supervisorUrl = `http://${host}:${ports.supervisor}`;

export function supervisor(): Component {
  const logFile = logFileOf(name);
  return {
    name,
    kind: 'supervisor',
    ports: [ports.supervisor],
    logFile,
    url: `${supervisorUrl}/metrics`,
    async start() {
      if (livePid(name) !== undefined) return;
      // The state folder on its command line: which stack a supervisor belongs to shows in `ps`.
      const main = join(__dirname, '..', 'supervisor', 'main.js');
      const pid = launch(name, process.execPath, [main, stateDir]);
      for (let tries = 0; tries < 100 && isAlive(pid) && !(await portOpen(ports.supervisor)); tries++) await sleep(100);
      if (!isAlive(pid)) throw new Error(`supervisor exited right after start:\n${await tail(logFile)}`);
    },
    async health(): Promise<Health> {
      if (livePid(name) === undefined) return { ok: false, detail: 'not running: nothing restarts what exits' };
      const response = await probeHttp(`${supervisorUrl}/healthz`);
      if (response?.status !== 200) return { ok: false, detail: `/healthz: ${response?.status ?? 'not answering'}` };
      try {
        const body = JSON.parse(response.body) as { watching: number; restarts: number };
        return { ok: true, detail: `watching ${body.watching} components, ${body.restarts} restarts` };
      } catch {
        return { ok: false, detail: '/healthz answered something other than JSON' };
      }
    },
    pid: async () => livePid(name),
    stop: () => terminate(name, 5_000),
  };
}
