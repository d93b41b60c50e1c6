/**
 * The supervisor daemon: one worker per component of the stack (everything `up` starts but itself),
 * and an HTTP endpoint on the supervisor port:
 *   GET /metrics          Prometheus text (job `stack-supervisor`)
 *   GET /events?since=ms  the journal since a time, JSON (what the chaos runner puts on a timeline)
 *   GET /healthz          200 while it runs, with how many components it watches
 * It is not the parent of what it watches (those may have been started by the CLI, or by a supervisor
 * before it): it polls pids, so a new supervisor adopts a running stack as it is.
 */
import { createServer, type Server } from 'node:http';
import { host, ports } from '../ports';
import { supervisedComponents } from '../stack';
import { appendEvent, readEvents, type SupervisorEvent } from './events';
import { SupervisorMetrics } from './supervisor-metrics';
import { Worker } from './worker';

const log = (line: string) => console.log(`${new Date().toISOString()} ${line}`);

/** One log line per event, in words. */
function describe(event: SupervisorEvent): string {
  switch (event.type) {
    case 'exit':
      return `${event.component}: exited (pid ${event.pid ?? 'unknown'}, ${event.reason})${event.held ? ' while held: left alone' : ''}; last log line: ${event.log.at(-1) ?? ''}`;
    case 'liveness-failed':
      return `${event.component}: liveness failed ${event.failures} times (${event.detail}): SIGKILL to pid ${event.pid}`;
    case 'restart':
      return `${event.component}: restart #${event.attempt} (${event.reason}) after ${(event.delayMs / 1000).toFixed(1)} s`;
    case 'start':
      return `${event.component}: released while not running: starting it`;
    case 'restarted':
      return `${event.component}: back (pid ${event.pid ?? '?'}) after ${(event.downtimeMs / 1000).toFixed(1)} s, ${event.healthy ? 'healthy' : `not healthy yet: ${event.detail}`}`;
    case 'restart-failed':
      return `${event.component}: restart failed, next attempt in ${(event.nextDelayMs / 1000).toFixed(1)} s: ${event.error.split('\n')[0]}`;
    case 'dropped':
      return `${event.component}: died before it was ever healthy: not supervised (${event.detail})`;
    case 'supervisor-started':
      return `supervisor pid ${event.pid} on ${host}:${ports.supervisor}, watching ${event.watching.join(', ')}`;
    default:
      return `${event.component}: ${event.type}`;
  }
}

function serve(metrics: SupervisorMetrics, startedAt: number): Server {
  return createServer((request, response) => {
    const url = new URL(request.url ?? '/', `http://${host}`);
    const reply = async () => {
      if (url.pathname === '/metrics') {
        response.setHeader('Content-Type', metrics.registry.contentType);
        return response.end(await metrics.registry.metrics());
      }
      response.setHeader('Content-Type', 'application/json');
      if (url.pathname === '/events') {
        const since = Number(url.searchParams.get('since') ?? 0);
        return response.end(JSON.stringify(readEvents(Number.isFinite(since) ? since : 0)));
      }
      if (url.pathname === '/healthz') {
        const body = {
          watching: metrics.watching,
          restarts: await metrics.total(),
          since: startedAt,
          pid: process.pid,
        };
        return response.end(JSON.stringify(body));
      }
      response.statusCode = 404;
      response.end(JSON.stringify({ error: `no ${url.pathname}; try /metrics, /events?since=<ms>, /healthz` }));
    };
    reply().catch((error: Error) => {
      response.statusCode = 500;
      response.end(JSON.stringify({ error: error.message }));
    });
  });
}

/** Listens, then watches forever. Rejects only when it cannot listen (another supervisor has the port). */
export async function runSupervisor(): Promise<void> {
  const startedAt = Date.now();
  const components = supervisedComponents();
  const metrics = new SupervisorMetrics(components, readEvents());
  const server = serve(metrics, startedAt);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(ports.supervisor, host, resolve);
  });
  server.on('error', (error) => log(`http: ${error.message}`));
  const stop = (signal: string) => {
    log(`${signal}: stopping (what it watches keeps running)`);
    server.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  const onEvent = (event: SupervisorEvent) => log(describe(event));
  onEvent(
    appendEvent({
      type: 'supervisor-started',
      component: 'supervisor',
      pid: process.pid,
      watching: components.map((component) => component.name),
    }),
  );
  await Promise.all(components.map((component) => new Worker(component, metrics, log, onEvent).run()));
}
