import { setTimeout as sleep } from 'node:timers/promises';
import { Counter } from 'prom-client';
import { AppError } from '../errors/app-error';
import { registry } from '../metrics/registry';
import { callUpstream, type UpstreamResponse } from './http-client';

/** Extra attempts of idempotent GETs (another instance, or the same one after a back-off). */
const upstreamRetriesTotal = new Counter({
  name: 'upstream_retries_total',
  help: 'Idempotent upstream calls repeated after no answer or a 502/503/504.',
  labelNames: ['upstream'] as const,
  registers: [registry],
});

/** Instances taken out of rotation for a while after a failed connection or a timeout. */
const upstreamEjectionsTotal = new Counter({
  name: 'upstream_ejections_total',
  help: 'Upstream instances skipped for a while after they could not be reached or timed out.',
  labelNames: ['upstream', 'instance'] as const,
  registers: [registry],
});

export interface PoolOptions {
  timeoutMs: number;
  /** Extra attempts for idempotent requests. */
  retries: number;
  /** Pause before repeating a request on the same instance (grows with each attempt, plus jitter). */
  backoffMs: number;
  /** How long an instance that gave no answer is skipped. */
  ejectMs: number;
}

export interface PoolRequest {
  method: string;
  /** Path and query on the upstream, e.g. `/products?page=2`. */
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** Answers that mean "this attempt did not reach a working upstream": worth repeating a GET for. */
const retryableStatuses = new Set([502, 503, 504]);
/** RFC 9110 §9.2.2: repeating these has the same effect as sending them once. */
const idempotentMethods = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/**
 * The attempt failed while connecting (refused, reset or timed out before the request was written):
 * no server saw it, so even a POST may go to another instance.
 */
function neverSent(error: AppError): boolean {
  const cause = error.cause as { code?: string; message?: string } | undefined;
  return (
    cause?.code === 'ECONNREFUSED' ||
    cause?.code === 'UND_ERR_CONNECT_TIMEOUT' ||
    /^connect /.test(cause?.message ?? '')
  );
}

/**
 * The instances of one upstream service (e.g. the two catalog instances), and the one policy every
 * service calls them with:
 * - round-robin across instances, with passive health: an instance that cannot be reached (refused,
 *   reset, timed out) is skipped for `ejectMs` (used again only when every instance is skipped); an
 *   instance that answers, even 503 about its own dependency, is reachable and stays in rotation;
 * - idempotent requests (GET, PUT, DELETE, and any request with an Idempotency-Key) are repeated up to
 *   `retries` times on no answer or a 502/503/504, on another instance when there is one, else after
 *   a short back-off. A timeout is repeated only on another instance: the same one would most likely
 *   make the client wait twice as long;
 * - a POST is repeated only when its connection failed before the request was written (no server saw
 *   it); otherwise it is sent exactly once: the upstream may have acted on it.
 */
export class UpstreamPool {
  private cursor = 0;
  private readonly ejectedUntil = new Map<string, number>();

  constructor(
    readonly name: string,
    private readonly baseUrls: string[],
    private readonly options: PoolOptions,
  ) {
    if (baseUrls.length === 0) throw new Error(`${name}: no upstream URLs configured`);
    // The series exists (at 0) from the start, so dashboards and alerts see a value, not an absence.
    upstreamRetriesTotal.inc({ upstream: name }, 0);
    for (const url of baseUrls) upstreamEjectionsTotal.inc({ upstream: name, instance: url }, 0);
  }

  /** Sends the request; answers with the upstream's response, or throws a 503/504 problem naming it. */
  async request(request: PoolRequest): Promise<UpstreamResponse> {
    const idempotent = idempotentMethods.has(request.method) || Boolean(request.headers?.['idempotency-key']);
    const attempts = 1 + this.options.retries;
    const tried: string[] = [];
    for (let attempt = 1; ; attempt++) {
      const baseUrl = this.pick(tried);
      if (tried.includes(baseUrl)) await sleep(this.backoff(attempt));
      tried.push(baseUrl);
      let outcome: UpstreamResponse | AppError;
      try {
        outcome = await callUpstream(this.name, {
          method: request.method,
          url: `${baseUrl}${request.path}`,
          headers: request.headers,
          body: request.body,
          timeoutMs: this.options.timeoutMs,
        });
        this.ejectedUntil.delete(baseUrl);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        this.eject(baseUrl);
        outcome = error;
      }
      const repeatable = idempotent || (outcome instanceof AppError && neverSent(outcome));
      if (attempt >= attempts || !repeatable || !this.worthRepeating(outcome, baseUrl)) {
        if (outcome instanceof AppError) throw outcome;
        return outcome;
      }
      upstreamRetriesTotal.inc({ upstream: this.name });
    }
  }

  /** Base URLs of every instance (readiness probes each one). */
  instances(): readonly string[] {
    return this.baseUrls;
  }

  private worthRepeating(outcome: UpstreamResponse | AppError, baseUrl: string): boolean {
    if (!(outcome instanceof AppError)) return retryableStatuses.has(outcome.status);
    if (outcome.status === 504) return this.baseUrls.some((url) => url !== baseUrl);
    return true;
  }

  /**
   * The next instance in turn, preferring live ones not tried yet for this request; once every one
   * was tried, the one tried longest ago.
   */
  private pick(tried: string[]): string {
    const now = Date.now();
    const count = this.baseUrls.length;
    const start = this.cursor;
    this.cursor = (this.cursor + 1) % count;
    const inTurn = this.baseUrls.map((_, offset) => this.baseUrls[(start + offset) % count] as string);
    const live = (url: string) => (this.ejectedUntil.get(url) ?? 0) <= now;
    return (
      inTurn.find((url) => live(url) && !tried.includes(url)) ??
      inTurn.find((url) => !tried.includes(url)) ??
      (tried[tried.length - count] as string)
    );
  }

  private eject(baseUrl: string): void {
    this.ejectedUntil.set(baseUrl, Date.now() + this.options.ejectMs);
    upstreamEjectionsTotal.inc({ upstream: this.name, instance: baseUrl });
  }

  private backoff(attempt: number): number {
    const base = this.options.backoffMs * 2 ** (attempt - 2);
    return base + Math.random() * this.options.backoffMs;
  }
}

/** Parses a comma-separated list of base URLs (an env value) into an array without trailing slashes. */
export function urlList(value: string): string[] {
  return value
    .split(',')
    .map((url) => url.trim().replace(/\/+$/, ''))
    .filter(Boolean);
}
