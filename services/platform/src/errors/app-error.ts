/** Error codes the API can answer with; each is the last segment of a problem `type`. */
export enum ErrorCode {
  Validation = 'validation-error',
  MalformedBody = 'malformed-body',
  UnsupportedMediaType = 'unsupported-media-type',
  PayloadTooLarge = 'payload-too-large',
  Unauthorized = 'unauthorized',
  Forbidden = 'forbidden',
  NotFound = 'not-found',
  Conflict = 'conflict',
  RateLimited = 'rate-limited',
  UpstreamUnavailable = 'upstream-unavailable',
  UpstreamTimeout = 'upstream-timeout',
  DependencyUnavailable = 'dependency-unavailable',
  /** The shop refused the request to stay fast under load (admission control); Retry-After says when to return. */
  Overloaded = 'overloaded',
  Internal = 'internal-error',
}

export interface FieldProblem {
  field: string;
  message: string;
}

export interface AppErrorOptions {
  /** Response headers the error carries (`Retry-After`, `WWW-Authenticate`), applied by the error middleware. */
  headers?: Record<string, string>;
  /** The dependency a 503 is about (`postgres`, `redis`, `catalog`): named in the problem document. */
  dependency?: string;
  /** Why a request was shed (admission control): named in the problem document. */
  reason?: string;
  /** The error underneath, for the logs (never shown to the client). */
  cause?: unknown;
}

/**
 * The one error type services throw on purpose. `status` and `expose` follow Koa's contract: an
 * exposed error's message reaches the client, anything else becomes an opaque 500. Headers travel with
 * the error, as Koa's `err.headers` do, rather than being set on the context before throwing.
 */
export class AppError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly expose: boolean;
  readonly errors: FieldProblem[] | undefined;
  readonly headers: Record<string, string>;
  readonly dependency: string | undefined;
  readonly reason: string | undefined;

  constructor(
    status: number,
    code: ErrorCode,
    message: string,
    errors?: FieldProblem[],
    options: AppErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.status = status;
    this.code = code;
    this.expose = status < 500 || status === 502 || status === 503 || status === 504;
    this.errors = errors;
    this.headers = options.headers ?? {};
    this.dependency = options.dependency;
    this.reason = options.reason;
  }

  static notFound(what: string): AppError {
    return new AppError(404, ErrorCode.NotFound, `${what} not found`);
  }

  /**
   * A dependency the request needs cannot answer right now (down, unreachable, overloaded): a 503 that
   * names it and says when to try again, so clients and the gateway back off instead of hammering it.
   */
  static dependencyUnavailable(dependency: string, cause?: unknown, retryAfterSeconds = 1): AppError {
    return new AppError(
      503,
      ErrorCode.DependencyUnavailable,
      `${dependency} is unavailable; try again shortly`,
      undefined,
      {
        dependency,
        cause,
        headers: { 'Retry-After': String(retryAfterSeconds) },
      },
    );
  }
}

/** An RFC 9457 problem document. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  traceId?: string;
  errors?: FieldProblem[];
  /** RFC 9457 extension member: the dependency a 503 is about. */
  dependency?: string;
  /** RFC 9457 extension member: why a 429/503 shed the request (`saga_behind`, `hashing_busy`, …). */
  reason?: string;
}

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

const statusCodes: Record<number, ErrorCode> = {
  400: ErrorCode.Validation,
  401: ErrorCode.Unauthorized,
  403: ErrorCode.Forbidden,
  404: ErrorCode.NotFound,
  409: ErrorCode.Conflict,
  413: ErrorCode.PayloadTooLarge,
  415: ErrorCode.UnsupportedMediaType,
  429: ErrorCode.RateLimited,
  503: ErrorCode.UpstreamUnavailable,
  504: ErrorCode.UpstreamTimeout,
};

/**
 * Turns anything thrown into a problem document. Never throws. Errors from libraries that carry a
 * 4xx `status` (body parser: broken JSON, too large) keep their status; everything else is a 500
 * that hides its message and shows the trace id instead.
 */
/**
 * Postgres' class 22 (data exception: a NUL byte in text, a number out of its column's range, an
 * invalid encoding) can only come from a value the request carried that validation let through: the
 * client's fault, a 400, never a 500. The database's own message is not passed on.
 */
function isDataException(error: unknown): boolean {
  const { code, severity } = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    severity?: unknown;
  };
  return typeof severity === 'string' && typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code);
}

export function toProblem(error: unknown, traceId?: string): Problem {
  if (isDataException(error))
    return toProblem(new AppError(400, ErrorCode.Validation, 'a value in the request cannot be stored'), traceId);
  const candidate = (typeof error === 'object' && error !== null ? error : {}) as Partial<AppError> & {
    statusCode?: number;
    type?: string;
  };
  const rawStatus = Number(candidate.status ?? candidate.statusCode);
  const status = Number.isInteger(rawStatus) && rawStatus >= 400 && rawStatus <= 599 ? rawStatus : 500;
  const exposed = candidate.expose === true || (candidate.expose === undefined && status < 500);
  const code =
    candidate instanceof AppError
      ? candidate.code
      : candidate.type === 'entity.parse.failed'
        ? ErrorCode.MalformedBody
        : (statusCodes[status] ?? (status < 500 ? ErrorCode.Validation : ErrorCode.Internal));
  const problem: Problem = {
    type: `https://confeitaria.dev/problems/${code}`,
    title: titles[status] ?? (status < 500 ? 'Client Error' : 'Server Error'),
    status,
    detail: exposed && typeof candidate.message === 'string' ? candidate.message : 'An internal error occurred.',
  };
  if (candidate instanceof AppError && candidate.errors) problem.errors = candidate.errors;
  if (candidate instanceof AppError && candidate.dependency) problem.dependency = candidate.dependency;
  if (candidate instanceof AppError && candidate.reason) problem.reason = candidate.reason;
  if (traceId) problem.traceId = traceId;
  return problem;
}
