/**
 * Steady-state probes the scenarios share. Client-side probes read k6's own metrics (remote write,
 * `$testid` = this run), so they measure what shoppers saw; the others read what the shop exports.
 * Windows are 15 s (see chaos/src/runner/verdict.ts for how phases are judged).
 */
import type { Tolerance } from '../src/run-result';
import type { Probe } from '../src/scenario';

type Tolerances = Probe['tolerances'];
const k6 = (extra = '') => `k6_http_reqs_total{testid="$testid"${extra}}`;

/** Share of the load's requests that failed (status ≥ 400 or no answer), optionally for one request name. */
export function clientErrors(tolerances: Tolerances, request?: string): Probe {
  const only = request ? `,name="${request}"` : '';
  return {
    name: request
      ? `client_errors_${request
          .replace(/[^a-z]+/gi, '_')
          .replace(/^_|_$/g, '')
          .toLowerCase()}`
      : 'client_errors',
    title: request
      ? { en: `Failed requests: ${request}`, 'pt-BR': `Requisições com falha: ${request}` }
      : { en: 'Failed requests (client side)', 'pt-BR': 'Requisições com falha (lado do cliente)' },
    query: `(sum(rate(${k6(`${only},expected_response="false"`)}[15s])) or vector(0)) / sum(rate(${k6(only)}[15s]))`,
    unit: 'ratio',
    tolerances,
  };
}

/**
 * The admin stock write the load makes when a scenario sets `load.adminRate` (k6 scenario `admin`,
 * loadtest/lib/shop.js): a write the catalog serves from its primary, beside the saga's reservations.
 * `clientErrors(tolerances, adminStockWrite)` is its failure ratio.
 */
export const adminStockWrite = 'PUT /api/products/:id/stock';

/**
 * Stock reservations the catalog made per second (reserved or rejected: either way it wrote to its
 * primary for an order.created). The saga's own write in the catalog; 0 while that write path is down.
 */
export function stockReservations(tolerances: Tolerances): Probe {
  return {
    name: 'stock_reservations',
    title: { en: 'Stock reservations per second', 'pt-BR': 'Reservas de estoque por segundo' },
    query: 'sum(rate(catalog_reservations_total[15s])) or vector(0)',
    unit: 'orders/s',
    tolerances,
  };
}

/** The gateway's 95th percentile latency, all routes. */
export function gatewayP95(tolerances: Tolerances): Probe {
  return {
    name: 'gateway_p95',
    title: { en: 'Gateway latency p95', 'pt-BR': 'Latência p95 no gateway' },
    query:
      'histogram_quantile(0.95, sum by (le) (rate(http_server_request_duration_seconds_bucket{job="gateway"}[15s])))',
    unit: 's',
    tolerances,
  };
}

/** Orders leaving the saga (CONFIRMED or CANCELLED) per second. */
export function ordersFinishing(tolerances: Tolerances): Probe {
  return {
    name: 'orders_finishing',
    title: { en: 'Orders completing per second', 'pt-BR': 'Pedidos concluídos por segundo' },
    query: 'sum(rate(orders_finished_total[15s])) or vector(0)',
    unit: 'orders/s',
    tolerances,
  };
}

/** The worst state of one circuit breaker: 0 closed, 1 half-open, 2 open. */
export function breakerState(breaker: string, tolerances: Tolerances): Probe {
  return {
    name: `breaker_${breaker.replace(/-/g, '_')}`,
    title: { en: `Circuit breaker ${breaker}`, 'pt-BR': `Disjuntor ${breaker}` },
    query: `max(circuit_breaker_state{breaker="${breaker}"})`,
    unit: 'state',
    tolerances,
  };
}

/** 1 when every catalog instance reads from the replica, 0 when one fell back to the primary. */
export function replicaInUse(tolerances: Tolerances): Probe {
  return {
    name: 'replica_in_use',
    title: { en: 'Catalog reads on the replica', 'pt-BR': 'Leituras do catálogo na réplica' },
    query: 'min(catalog_replica_available)',
    unit: '1 = yes',
    tolerances,
  };
}

/** Steady state for most scenarios: the same bound before, and back to it by the end. */
export const steady = (bound: Omit<Tolerance, 'mode'>): Tolerances => ({
  baseline: { ...bound, mode: 'all' },
  recovery: { ...bound, mode: 'last' },
});

/**
 * Steady state for a latency, which is the machine's as much as the shop's: usable before the fault
 * (at most `usable` s, whatever the machine), and by the end back within `times` × this run's own
 * baseline plus `margin` s. A fixed bound is either loose on a fast laptop or broken by a CI runner
 * that is ten times slower for a minute (a baseline p95 of 0.38 s once failed db-latency's 0.3 s).
 * Keep `margin` at least one histogram bucket wide (0.25 s above 0.1 s): a p95 read from buckets moves
 * by a bucket on a handful of slow requests (a 0.1 s margin failed a recovery at 0.249 s).
 */
export const latencySteady = (bound: { usable: number; times: number; margin: number }): Tolerances => ({
  baseline: { max: bound.usable, mode: 'all' },
  recovery: { max: bound.margin, mode: 'last', ofBaseline: { times: bound.times } },
});

/** Outbox rows written but not yet published, every service: grows while the broker is away. */
export function outboxBacklog(tolerances: Tolerances): Probe {
  return {
    name: 'outbox_backlog',
    title: { en: 'Outbox backlog', 'pt-BR': 'Eventos pendentes no outbox' },
    query: 'sum(outbox_backlog)',
    unit: 'events',
    tolerances,
  };
}

/** 1 while every service that uses `dependency` reaches it, 0 while one of them has lost it. */
export function dependencyReachable(dependency: string, tolerances: Tolerances): Probe {
  return {
    name: `${dependency.replace(/-/g, '_')}_reachable`,
    title: { en: `Services reach ${dependency}`, 'pt-BR': `Serviços alcançam ${dependency}` },
    query: `min(dependency_up{dependency="${dependency}"})`,
    unit: '1 = yes',
    tolerances,
  };
}

/** 1 while the replica streams WAL from the primary (pg_stat_wal_receiver), 0 while it does not. */
export function replicaStreaming(tolerances: Tolerances): Probe {
  return {
    name: 'replica_streaming',
    title: { en: 'Replica streaming from the primary', 'pt-BR': 'Réplica recebendo o WAL do primário' },
    // A replica that is down exports nothing: that counts as not streaming.
    query: 'max(pg_wal_receiver_streaming{role="replica"}) or vector(0)',
    unit: '1 = yes',
    tolerances,
  };
}

/**
 * Share of the gateway's answers that are a server error other than the fast 503 refusal: a 500 (a
 * bug), a 502 or a 504 (an upstream that hung). A crash may refuse requests, never time them out.
 */
export function unexpectedServerErrors(tolerances: Tolerances): Probe {
  const count = (status: string) =>
    `sum(rate(http_server_request_duration_seconds_count{job="gateway"${status}}[15s]))`;
  return {
    name: 'gateway_unexpected_5xx',
    title: { en: 'Gateway 5xx other than 503', 'pt-BR': 'Gateway 5xx além de 503' },
    query: `(${count(',status_code=~"5..",status_code!="503"')} or vector(0)) / ${count('')}`,
    unit: 'ratio',
    tolerances,
  };
}

/**
 * Service processes that started in the last 20 s: a crash and its restart change the restarted
 * process's `process_start_time_seconds`. Read from the services' own metrics, so it means the same in
 * local mode (the stack's supervisor) and docker mode (the restart policy).
 */
export function serviceRestarts(tolerances: Tolerances): Probe {
  return {
    name: 'service_restarts',
    title: {
      en: 'Service processes restarted (last 20 s)',
      'pt-BR': 'Processos de serviço reiniciados (últimos 20 s)',
    },
    query:
      'sum(changes(process_start_time_seconds{job=~"gateway|identity|catalog|cart|orders|payments|notifications"}[20s]))',
    unit: 'restarts',
    tolerances,
  };
}
