import { AppError } from '../errors/app-error';
import { callUpstream, type UpstreamRequest, type UpstreamResponse } from './http-client';

/**
 * Several instances of one upstream service (e.g. the two catalog instances), called round-robin.
 * An instance that cannot be reached is skipped for `cooldownMs` (passive health checking), and the
 * call moves on to the next one, so a dead instance costs one failed connection, not an error.
 * Only failures to get an answer move on (503/504 from callUpstream); an answer, even a 5xx, is
 * returned to the caller, who knows whether the request may be repeated.
 */
export class UpstreamPool {
  private next = 0;
  private readonly downUntil = new Map<string, number>();

  constructor(
    readonly name: string,
    private readonly baseUrls: string[],
    private readonly cooldownMs = 5_000,
  ) {
    if (baseUrls.length === 0) throw new Error(`${name}: no upstream URLs configured`);
  }

  /** Sends `path` to one live instance, failing over to the others; 503 when none answers. */
  async call(request: Omit<UpstreamRequest, 'url'> & { path: string }): Promise<UpstreamResponse> {
    const now = Date.now();
    const order = this.baseUrls.map((_, i) => this.baseUrls[(this.next + i) % this.baseUrls.length] as string);
    this.next = (this.next + 1) % this.baseUrls.length;
    // Live instances first; the ones cooling down only as a last resort.
    const candidates = [
      ...order.filter((url) => (this.downUntil.get(url) ?? 0) <= now),
      ...order.filter((url) => (this.downUntil.get(url) ?? 0) > now),
    ];
    let lastError: unknown;
    for (const baseUrl of candidates) {
      try {
        const response = await callUpstream(this.name, { ...request, url: `${baseUrl}${request.path}` });
        this.downUntil.delete(baseUrl);
        return response;
      } catch (error) {
        lastError = error;
        if (!(error instanceof AppError) || error.status !== 503) throw error;
        this.downUntil.set(baseUrl, Date.now() + this.cooldownMs);
      }
    }
    throw lastError;
  }

  /** Instances not currently skipped. */
  liveCount(): number {
    const now = Date.now();
    return this.baseUrls.filter((url) => (this.downUntil.get(url) ?? 0) <= now).length;
  }
}

/** Parses a comma-separated list of base URLs (an env value) into an array without trailing slashes. */
export function urlList(value: string): string[] {
  return value
    .split(',')
    .map((url) => url.trim().replace(/\/+$/, ''))
    .filter(Boolean);
}
