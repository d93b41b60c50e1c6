/**
 * The local stack's RabbitMQ as an operator (or a crash) acts on it: rabbitmqctl against our node,
 * a SIGKILL of its Erlang VM, and a start of the stack component again.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { rabbitmq, rabbitmqctl } from '@confeitaria/stack/components/rabbitmq';
import { livePid } from '@confeitaria/stack/process';
import { waitHealthy } from '@confeitaria/stack/stack';

export { rabbitmqctl };

/** Every process below `root` (its children, their children...). */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // gone while we looked
    }
  }
  const found: number[] = [];
  const pending = [...(children.get(root) ?? [])];
  for (let pid = pending.pop(); pid !== undefined; pid = pending.pop()) {
    found.push(pid);
    pending.push(...(children.get(pid) ?? []));
  }
  return found;
}

const commandOf = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
};

/** SIGKILLs the broker's Erlang VM (beam.smp) and waits until the component's process is gone. */
export async function killBroker(): Promise<void> {
  const root = livePid('rabbitmq');
  if (root === undefined) throw new Error('RabbitMQ is not running');
  const beam = descendants(root).find((pid) => commandOf(pid) === 'beam.smp');
  if (beam === undefined) throw new Error(`no beam.smp below the rabbitmq process ${root}`);
  process.kill(beam, 'SIGKILL');
  const deadline = Date.now() + 30_000;
  while (livePid('rabbitmq') !== undefined) {
    if (Date.now() > deadline) throw new Error('the rabbitmq process outlived its VM by 30 s');
    await sleep(100);
  }
}

/** Starts the stack's RabbitMQ (after a kill) and waits until it serves AMQP and metrics again. */
export async function startBroker(): Promise<void> {
  const component = rabbitmq();
  await component.start();
  const health = await waitHealthy(component, 180_000);
  if (!health.ok) throw new Error(`RabbitMQ did not come back: ${health.detail}`);
}

/** The broker's id of the connection whose client property `connection_name` is `name`. */
export async function connectionPid(name: string): Promise<string> {
  const listing = await rabbitmqctl(['list_connections', '--no-table-headers', 'pid', 'client_properties']);
  const line = listing.split('\n').find((row) => row.includes(`{"connection_name","${name}"}`));
  if (!line) throw new Error(`no connection named ${name} in:\n${listing}`);
  return line.split('\t')[0] as string;
}
