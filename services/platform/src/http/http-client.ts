import { type Dispatcher, request } from 'undici';
import { AppError, ErrorCode } from '../errors/app-error';
import { clientSpan } from '../telemetry/http-spans';

export interface UpstreamResponse {
  status: number;
  contentType: string | null;
  location: string | null;
  /** An upstream's refusal says when to try again (503, 429): the gateway relays it to the client. */
  retryAfter: string | null;
  body: string;
}

export interface UpstreamRequest {
  method: string;
  url: string;
  body?: string;
  headers?: Record<string, string>;
  timeoutMs: number;
  /**
   * False for housekeeping calls made every second (the gateway's saga-load poll): no CLIENT span and no
   * `traceparent`, so they do not fill the trace store with traces no user caused.
   */
  traced?: boolean;
}

const header = (value: string | string[] | undefined) => (Array.isArray(value) ? (value[0] ?? null) : (value ?? null));

/**
 * The one way a service calls another over HTTP, with undici's `request` (a keep-alive pool per
 * upstream; the global `fetch` is the same client behind the WHATWG streams and Headers layers, which
 * `npm run bench` measured as a large share of the gateway's CPU per proxied request). Bounded by a
 * timeout; an unreachable or silent upstream becomes a 503 or 504 problem naming it, never a hang or an
 * unhandled error. Each call is a CLIENT span that propagates `traceparent` (telemetry/http-spans.ts).
 */
export async function callUpstream(name: string, upstream: UpstreamRequest): Promise<UpstreamResponse> {
  try {
    const send = async (headers: Record<string, string> | undefined): Promise<UpstreamResponse> => {
      const response = await request(upstream.url, {
        method: upstream.method as Dispatcher.HttpMethod,
        headers,
        body: upstream.body,
        signal: AbortSignal.timeout(upstream.timeoutMs),
      });
      return {
        status: response.statusCode,
        contentType: header(response.headers['content-type']),
        location: header(response.headers.location),
        retryAfter: header(response.headers['retry-after']),
        body: await response.body.text(),
      };
    };
    if (upstream.traced === false) return await send(upstream.headers);
    return await clientSpan(upstream.method, upstream.url, upstream.headers, send);
  } catch (error) {
    const details = { dependency: name, cause: error };
    if ((error as Error).name === 'TimeoutError') {
      throw new AppError(
        504,
        ErrorCode.UpstreamTimeout,
        `${name} did not answer within ${upstream.timeoutMs} ms`,
        undefined,
        details,
      );
    }
    throw new AppError(503, ErrorCode.UpstreamUnavailable, `${name} is unavailable`, undefined, {
      ...details,
      headers: { 'Retry-After': '1' },
    });
  }
}

/**
 * An upstream's body as JSON, or undefined when it is not JSON (a proxy's error page, a cut-off body):
 * the caller then treats it like any other unusable answer, never as a throw that ends in a 500.
 */
export function jsonOf(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}
