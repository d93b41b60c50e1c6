import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths';
import { host, ports } from './ports';

export interface ProxyDeclaration {
  name: string;
  from: string;
  to: string;
  listen: number;
}

/** The proxies of chaos/proxies.json. */
export const proxies: ProxyDeclaration[] = (
  JSON.parse(readFileSync(join(repoRoot, 'chaos', 'proxies.json'), 'utf8')) as { proxies: ProxyDeclaration[] }
).proxies;

/** Where each upstream named in the proxies file listens in local mode. */
const upstreamPorts: Record<string, number> = {
  'postgres-primary': ports.postgresPrimary,
  'postgres-replica': ports.postgresReplica,
  redis: ports.redis,
  rabbitmq: ports.rabbitmqAmqp,
  identity: ports.identity,
  'catalog-1': ports.catalog1,
  'catalog-2': ports.catalog2,
  cart: ports.cart,
  orders: ports.orders,
  payments: ports.payments,
  notifications: ports.notifications,
};

export function upstreamAddress(to: string): string {
  const port = upstreamPorts[to];
  if (port === undefined) throw new Error(`chaos/proxies.json: unknown upstream "${to}"`);
  return `${host}:${port}`;
}

/** The local address a service uses to reach a dependency: the proxy's listen address. */
export function proxiedAddress(from: string, to: string): string {
  const proxy = proxies.find((candidate) => candidate.from === from && candidate.to === to);
  if (!proxy) throw new Error(`chaos/proxies.json: no proxy declared for ${from} → ${to}`);
  return `${host}:${proxy.listen}`;
}
