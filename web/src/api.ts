import type { Context } from '@opentelemetry/api';
import { currentRoute, loginPath, navigate } from './router';
import { logOut, session } from './session';
import { createStore } from './store';
import { actionContext, inAction } from './telemetry';

// The shapes the gateway answers with (services/platform/src/api/schemas.ts).
export interface Category {
  id: number;
  slug: string;
  name: string;
}
export interface Product {
  id: number;
  name: string;
  description: string;
  priceCents: number;
  currency: 'BRL';
  category: string;
  stock: number;
}
export interface ProductPage {
  items: Product[];
  page: number;
  pageSize: number;
  total: number;
}
export interface Line {
  productId: number;
  quantity: number;
  unitPriceCents: number;
}
export interface Cart {
  items: Line[];
  totalCents: number;
}
export type OrderStatus = 'PENDING' | 'CONFIRMED' | 'CANCELLED';
export type CancelReason = 'OUT_OF_STOCK' | 'PAYMENT_DECLINED';
export interface Order {
  id: string;
  status: OrderStatus;
  reason?: CancelReason;
  items: Line[];
  totalCents: number;
  createdAt: string;
  updatedAt: string;
}
export interface Token {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

/** A failed request, from its RFC 9457 problem document (status 0: the shop could not be reached). */
export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  /** The first message for each field the problem names, keyed by name (`/email` → `email`). */
  readonly fields: Record<string, string>;
  /** Seconds to wait before trying again, for 429 and 503. */
  readonly retryAfter: number | undefined;

  constructor(status: number, title: string, detail: string, fields: Record<string, string> = {}, retryAfter?: number) {
    super(detail || title);
    this.name = 'ApiError';
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.fields = fields;
    this.retryAfter = retryAfter;
  }
}

/** The request needed a login: the person has been sent to the login page, there is nothing to show. */
export class LoginRequired extends ApiError {
  constructor() {
    super(401, '', '');
    this.name = 'LoginRequired';
  }
}

/** While a request waits out a Retry-After: the time it will be sent again (ms since the epoch). */
export const busyUntil = createStore<number | null>(null);

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  /** Sends the session token; without one, or when the shop refuses it (401), goes to the login page. */
  auth?: boolean;
  /** With `auth`: only forget a refused token, stay on the page (for reads the person did not ask for). */
  quiet?: boolean;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Waits out a 429/503 Retry-After and sends again (default: GETs only). */
  retry?: boolean;
}

const maxRetries = 5;

/** Calls the gateway's /api: resolves with the JSON body, rejects with an ApiError (or an AbortError). */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = 'GET', retry = method === 'GET', signal } = options;
  // Taken now, while the action that made this call is still the active context: retries keep it.
  const parent = actionContext();
  for (let attempt = 0; ; attempt++) {
    try {
      const result = await send<T>(path, options, parent);
      if (attempt > 0) busyUntil.set(null);
      return result;
    } catch (error) {
      if (!(error instanceof ApiError) || error.retryAfter === undefined || !retry || attempt >= maxRetries) {
        if (attempt > 0) busyUntil.set(null);
        throw error;
      }
      busyUntil.set(Date.now() + error.retryAfter * 1000);
      await sleep(error.retryAfter * 1000, signal);
    }
  }
}

async function send<T>(path: string, options: RequestOptions, parent: Context | undefined): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.auth) {
    const token = session.get();
    if (!token) throw loginRequired(options);
    headers.authorization = `Bearer ${token}`;
  }
  let response: Response;
  try {
    response = await inAction(parent, () =>
      fetch(`/api${path}`, {
        method: options.method ?? 'GET',
        headers,
        body: options.body === undefined ? null : JSON.stringify(options.body),
        signal: options.signal ?? null,
      }),
    );
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiError(0, '', '');
  }
  if (response.ok) return (await response.json()) as T;
  if (response.status === 401 && options.auth) {
    logOut();
    throw loginRequired(options);
  }
  throw await problemOf(response);
}

/** Sends the person to the login page, to come back here afterwards. */
function loginRequired(options: RequestOptions): ApiError {
  const route = currentRoute();
  if (!options.quiet && route.segments[0] !== 'entrar') navigate(loginPath(route.href), { replace: true });
  return new LoginRequired();
}

async function problemOf(response: Response): Promise<ApiError> {
  const retryAfter = retryAfterOf(response);
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const problem = isRecord(body) ? body : {};
  const fields: Record<string, string> = {};
  if (Array.isArray(problem.errors)) {
    for (const item of problem.errors) {
      if (!isRecord(item) || typeof item.field !== 'string' || typeof item.message !== 'string') continue;
      const name = item.field.replace(/^\//, '');
      fields[name] ??= item.message;
    }
  }
  return new ApiError(
    response.status,
    typeof problem.title === 'string' ? problem.title : response.statusText,
    typeof problem.detail === 'string' ? problem.detail : '',
    fields,
    retryAfter,
  );
}

/** Retry-After in seconds (429 and 503 only; at least 1, at most a minute). */
function retryAfterOf(response: Response): number | undefined {
  if (response.status !== 429 && response.status !== 503) return undefined;
  const seconds = Number(response.headers.get('retry-after') ?? '1');
  return Number.isFinite(seconds) ? Math.min(Math.max(Math.ceil(seconds), 1), 60) : 1;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

/** Resolves after `ms`, or rejects with an AbortError when the signal fires first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/** A new Idempotency-Key. `crypto.randomUUID` exists only in secure contexts (https, localhost). */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
