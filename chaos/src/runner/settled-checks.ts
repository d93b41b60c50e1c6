/**
 * What "the shop is settled" means before an experiment starts (issue 19, pre-flight): each check is
 * true on an idle healthy shop and false right after a fault, so a scenario never starts on what the
 * previous one left behind (a catalog instance dead, a breaker open, a saga still catching up).
 *
 *   components    every process of the stack running and ready (the services' /readyz)
 *   proxies       no Toxiproxy proxy disabled or carrying a toxic
 *   outbox        no outbox row waiting to be published
 *   queues        no message waiting in a work queue (parking queues are the auditor's business)
 *   orders        no order PENDING for more than 10 s
 *   breakers      no circuit breaker open (half-open is fine: on an idle shop it waits for a call)
 *   dependencies  no service seeing one of its dependencies down (`dependency_up`)
 *   replica       the catalog reads from the replica, and the replica streams from the primary
 *
 * The last three read Prometheus, so they lag by a scrape; the others read the source directly.
 */
import { pendingOrdersOlderThan, queueDepths, unpublishedOutbox } from '../audit/snapshot';
import type { FaultInjector } from './fault-injector';
import type { ProcessDriver } from './process-driver';
import { instantAt } from './prometheus-client';

/** One check's result: what is wrong, nothing when it holds. */
export interface CheckReading {
  name: string;
  problems: string[];
}

/** An order accepted longer ago than this and still PENDING means the saga is not done with it. */
export const pendingGraceS = 10;

/** Series of `query` (a comparison that keeps only the bad ones), each described from its labels. */
async function badSeries(query: string, describe: (labels: Record<string, string>) => string): Promise<string[]> {
  return (await instantAt(query, Date.now())).map((each) => describe(each.labels));
}

const checks = (driver: ProcessDriver, injector: FaultInjector): Record<string, () => Promise<string[]>> => ({
  components: () => driver.notReady(),
  proxies: () => injector.leftovers(),
  outbox: async () =>
    Object.entries(await unpublishedOutbox())
      .filter(([, rows]) => rows > 0)
      .map(([database, rows]) => `${database}: ${rows} unpublished`),
  queues: async () =>
    (await queueDepths())
      .filter((queue) => !queue.queue.endsWith('.parked') && queue.messages > 0)
      .map((queue) => `${queue.queue}: ${queue.messages} messages`),
  orders: async () => {
    const stale = await pendingOrdersOlderThan(pendingGraceS);
    return stale > 0 ? [`${stale} PENDING for more than ${pendingGraceS} s`] : [];
  },
  breakers: () => badSeries('max by (breaker) (circuit_breaker_state) >= 2', (l) => `${l.breaker} open`),
  dependencies: () =>
    badSeries('min by (job, dependency) (dependency_up) < 1', (l) => `${l.job} sees ${l.dependency} down`),
  replica: async () => [
    ...(await badSeries('min(catalog_replica_available) < 1', () => 'catalog reads on the primary')),
    ...(await badSeries('max(pg_wal_receiver_streaming{role="replica"}) < 1', () => 'replica not streaming')),
  ],
});

/** Every check once; a check that cannot be read counts as failing, with the error. */
export async function readSettledChecks(driver: ProcessDriver, injector: FaultInjector): Promise<CheckReading[]> {
  return Promise.all(
    Object.entries(checks(driver, injector)).map(async ([name, check]) => ({
      name,
      problems: await check().catch((error: Error) => [`cannot check: ${error.message}`]),
    })),
  );
}
