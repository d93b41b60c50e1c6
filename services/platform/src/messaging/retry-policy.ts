/**
 * What happens to a message whose handler failed: parked (never worth retrying, or out of attempts) or
 * retried after a delay. Pure, so the policy is unit-tested without waiting out real delays.
 */
import { ZodError } from 'zod';
import { AppError } from '../errors/app-error';

/** Socket errors of a dependency that is down or unreachable, and Postgres's "cannot connect now" classes. */
const transientCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
]);
/** node-postgres and ioredis say "unreachable" in words rather than codes. */
const transientMessages =
  /Connection terminated|timeout exceeded when trying to connect|Connection is closed|connect ETIMEDOUT|the database system is (starting up|shutting down)/i;

/**
 * True when a handler failed because a dependency is unavailable (down, unreachable, overloaded,
 * behind an open breaker), not because of the message: retrying later will succeed once it is back,
 * so such a message must never be parked, however many attempts the outage takes. Postgres errors of
 * class 08 (connection exception) count as well.
 */
export function isTransient(error: unknown): boolean {
  if (error instanceof AppError) return error.status === 503 || error.status === 504;
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (transientCodes.has(code) || code.startsWith('08'))) return true;
  if (transientMessages.test(error.message)) return true;
  return error instanceof AggregateError && error.errors.some(isTransient);
}

/** Delays between attempts; a message gets the first delivery plus one attempt per delay. */
export const retryDelaysMs = [1_000, 5_000, 20_000];
export const maxAttempts = retryDelaysMs.length + 1;

export interface RetryDecision {
  outcome: 'retried' | 'parked';
  /** 1-based delay queue to wait in (`<queue>.retry.<n>`), when retried. */
  delayQueue: number;
  /** The attempt number the next delivery carries (x-attempt). */
  nextAttempt: number;
}

/**
 * A message that can never be handled (not JSON, not the event's shape) is parked at once. A dependency
 * that is down (isTransient) gets retries for as long as the outage lasts, at the longest delay once the
 * shorter ones are used: parking it would strand a good order. Anything else gets another attempt after
 * a delay, and is parked when the attempts run out.
 */
export function retryDecision(error: unknown, attempt: number): RetryDecision {
  const permanent = error instanceof SyntaxError || error instanceof ZodError;
  const transient = !permanent && isTransient(error);
  const outcome = permanent || (attempt >= maxAttempts && !transient) ? 'parked' : 'retried';
  return {
    outcome,
    delayQueue: Math.min(attempt, retryDelaysMs.length),
    nextAttempt: transient ? Math.min(attempt + 1, maxAttempts) : attempt + 1,
  };
}
