/**
 * What `npm run capacity` measured: capacity.json in reports/capacity/<stamp>/ is this object as is,
 * so a run can be re-rendered (md, html, both languages) from it alone.
 */

/** One route's latency over a step's hold window, seconds (k6, client side). */
export interface RouteLatency {
  route: string;
  count: number;
  p50: number;
  p95: number;
  p99: number;
}

/** Cores one process tree used on average over a step's hold window (/proc, user + system). */
export interface ProcessCpu {
  process: string;
  cores: number;
}

/** One stair of the staircase: `shoppers` concurrent VUs held for `holdSeconds`. */
export interface CapacityStep {
  shoppers: number;
  holdSeconds: number;
  /** Requests answered per second (k6). */
  requestsPerSecond: number;
  /** Journeys completed per second (k6 iterations). */
  journeysPerSecond: number;
  /** Orders answered 202 per second (k6, client side). */
  ordersAcceptedPerSecond: number;
  /** Orders that reached CONFIRMED or CANCELLED per second (server side: orders_finished_total). */
  ordersCompletedPerSecond: number;
  /** Share of requests that failed, shed ones (429/503 with Retry-After) included. */
  failedRatio: number;
  /** Share of requests shed (429/503 with Retry-After). */
  shedRatio: number;
  /** Responses per status code (0 = no response: timeout, connection refused). */
  byStatus: Record<string, number>;
  /** Shed responses per reason (the problem's `reason` member). */
  shedByReason: Record<string, number>;
  routes: RouteLatency[];
  /** Busiest first. */
  cpu: ProcessCpu[];
  /** p95 of POST /api/orders, seconds: the checkout SLO is judged on it. */
  checkoutP95Seconds: number;
  /** failedRatio < maxFailedRatio and checkoutP95Seconds < sloCheckoutP95Seconds. */
  held: boolean;
}

export interface CapacityResult {
  schema: 'confeitaria.capacity/1';
  startedAt: string;
  endedAt: string;
  /** --quick: CI's smoke of the harness; figures not meaningful, shape the same. */
  quick: boolean;
  machine: { cpus: string; memoryGiB: number; node: string; commit: string };
  /** The command that repeats the run. */
  command: string;
  profile: {
    steps: number[];
    rampSeconds: number;
    holdSeconds: number;
    /** The think-time model, as its key (e.g. `tpcw`, `1-5`) and a sentence describing it. */
    think: { model: string; description: string };
    sloCheckoutP95Seconds: number;
    maxFailedRatio: number;
    /**
     * What was measured: `lab` the stack as experiments run it (Toxiproxy on every edge, every request
     * traced), `direct` its services wired straight to the datastores, `bare` those untraced. Absent in
     * reports from before the option: `lab`.
     */
    shop?: 'lab' | 'direct' | 'bare';
  };
  steps: CapacityStep[];
  /** The largest step that held (and every step below it held too); null when the first did not. */
  knee: { shoppers: number; ordersCompletedPerSecond: number; requestsPerSecond: number } | null;
  /** Shoppers signed in before the staircase (their tokens handed to k6), when they were. */
  signIn?: { count: number; seconds: number; shedAndRetried: number };
  /**
   * Shoppers signing in as they arrive, between the held steps (k6 step tag `arrival`): measured apart,
   * since a staircase brings hundreds in seconds, a login storm the hashing gate is there to shed.
   */
  arrival?: {
    logins: number;
    byStatus: Record<string, number>;
    shedByReason: Record<string, number>;
    p95Seconds: number;
  };
  /**
   * The stress run: `factor` × the knee's shoppers held for `holdSeconds`, judged on goodput (orders
   * completed per second ≥ `minGoodputRatio` of the knee's) and on no 5xx but the documented 503 shedding.
   */
  stress?: {
    factor: number;
    step: CapacityStep;
    goodputRatio: number;
    minGoodputRatio: number;
    /** 5xx responses other than 503 with Retry-After (shedding), and responses with no status (0). */
    unexpectedErrors: number;
    ok: boolean;
  };
  /** The auditor's verdict after the staircase settled (DESIGN.md §4). */
  audit: { ok: boolean; results: { id: number; name: string; ok: boolean; checked: string; violations: string[] }[] };
  k6: { exitCode: number; summaryFile: string; ledgerOrders: number };
}
