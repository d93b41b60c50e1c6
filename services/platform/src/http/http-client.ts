import { AppError, ErrorCode } from '../errors/app-error';
import { clientSpan } from '../telemetry/http-spans';

export interface UpstreamResponse {
  status: number;
  contentType: string | null;
  location: string | null;
  body: string;
}

export interface UpstreamRequest {
  method: string;
  url: string;
  body?: string;
  headers?: Record<string, string>;
  timeoutMs: number;
}

/**
 * The one way a service calls another over HTTP. Bounded by a timeout; an unreachable or silent
 * upstream becomes a 503 or 504 problem naming it, never a hang or an unhandled error. Each call is a
 * CLIENT span that propagates `traceparent` (telemetry/http-spans.ts).
 */
export async function callUpstream(name: string, request: UpstreamRequest): Promise<UpstreamResponse> {
  try {
    return await clientSpan(request.method, request.url, request.headers, async (headers) => {
      const response = await fetch(request.url, {
        method: request.method,
        headers,
        body: request.body,
        signal: AbortSignal.timeout(request.timeoutMs),
      });
      return {
        status: response.status,
        contentType: response.headers.get('content-type'),
        location: response.headers.get('location'),
        body: await response.text(),
      };
    });
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') {
      throw new AppError(504, ErrorCode.UpstreamTimeout, `${name} did not answer within ${request.timeoutMs} ms`);
    }
    throw new AppError(503, ErrorCode.UpstreamUnavailable, `${name} is unavailable`);
  }
}
