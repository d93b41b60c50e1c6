// Retries for the requests a load test needs before it can measure anything (setup's admin login and
// restock, a shopper's registration). Issue 19: one 503 from a catalog that was still recovering from
// the previous experiment made setup() fail, and four scenarios were judged on no load at all. A
// transient answer (429, a 5xx, no answer) is tried again, after the server's Retry-After when it gives
// one, until a deadline; then the last answer is returned and the caller decides. The measured load
// itself never retries here: what shoppers see under a fault is the measurement.
import { sleep } from 'k6';

/** Seconds setup() may spend retrying in all (SETUP_RETRY_S, default 30). */
export const setupRetrySeconds = Number(__ENV.SETUP_RETRY_S || 30);

const transient = (response) => response.status === 0 || response.status === 429 || response.status >= 500;

/** The server's Retry-After in seconds (delta-seconds form), or undefined. */
function retryAfter(response) {
  const value = Number(response.headers?.['Retry-After'] || Number.NaN);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

/**
 * Calls `send` (which makes one request and returns its response) until the answer is not transient or
 * `deadline` (epoch ms) has passed; waits between attempts for the longer of Retry-After and a pause
 * of 0.5 s doubling to 8 s (each plus up to 50 % jitter).
 * Each retry is logged as a warning, so k6's log says what setup was waiting for.
 */
export function untilNotTransient(what, deadline, send) {
  let pause = 0.5;
  for (let attempt = 1; ; attempt++) {
    const response = send(attempt);
    const left = (deadline - Date.now()) / 1000;
    if (!transient(response) || left <= 0) return response;
    // The longer of Retry-After and our own doubling pause, plus up to 50 % jitter: the server's
    // Retry-After is for one client, and a crowd refused together must neither come back together nor
    // keep coming back every second while the queue it was refused from is still full.
    const wait = Math.min(Math.max(retryAfter(response) ?? 0, pause) * (1 + Math.random() * 0.5), left);
    console.warn(`${what}: answered ${response.status || 'nothing'}; attempt ${attempt + 1} in ${wait.toFixed(1)} s`);
    sleep(wait);
    pause = Math.min(pause * 2, 8);
  }
}

/** A deadline `seconds` from now (epoch ms). */
export const deadlineIn = (seconds) => Date.now() + seconds * 1000;
