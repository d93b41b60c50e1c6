/**
 * How the supervisor paces itself, in one place. The numbers sit between Docker's restart policy
 * (100 ms doubling to 1 min, reset after 10 s up) and the kubelet's CrashLoopBackOff (10 s doubling to
 * 5 min, reset after 10 min up), tuned for a demo stack on a small machine:
 *   - first restart after ~1 s: a killed service is back within a chaos recovery phase, yet a process
 *     that dies at once cannot spin (Docker's 100 ms would restart a crash-looping Node service ten
 *     times a second on two shared cores);
 *   - doubling to 30 s: a process that cannot start (its port taken, its data directory broken) costs
 *     one attempt per half minute, and still comes back within 30 s of its cause being fixed (the
 *     kubelet's 5 min suits a cluster, not a live demo);
 *   - ±20 % jitter: processes that died together (three services that lost the broker) do not start
 *     in lockstep, while the delay stays predictable enough to reason about in a report;
 *   - reset after 60 s up: a process that crashes every 20 s keeps backing off (Docker's 10 s would
 *     treat it as healthy each time).
 * Liveness follows the kubelet's probe model, generously: a process must fail /healthz for about
 * 30 s in a row (6 probes, 5 s apart, 3 s timeout each) before it is killed.
 */
export const restartPolicy = {
  /** How often each supervised process is looked at (pid alive?). */
  pollMs: 300,
  firstDelayMs: 1_000,
  maxDelayMs: 30_000,
  jitter: 0.2,
  /** Up this long without a restart: the next restart waits the first delay again. */
  resetAfterMs: 60_000,
  liveness: { periodMs: 5_000, timeoutMs: 3_000, failureThreshold: 6 },
  /** How long a restarted process gets to become healthy before it is left to liveness. */
  healthyWithinMs: { infra: 90_000, other: 45_000 },
} as const;

/**
 * The wait before a restart, given how many restarts in a row came before it (0 for the first):
 * firstDelayMs · 2^restarts, ±jitter, never above maxDelayMs.
 */
export function restartDelay(restartsBefore: number, random: () => number = Math.random): number {
  const { firstDelayMs, maxDelayMs, jitter } = restartPolicy;
  const nominal = firstDelayMs * 2 ** Math.min(restartsBefore, 20);
  const jittered = nominal * (1 - jitter + 2 * jitter * random());
  return Math.round(Math.min(maxDelayMs, jittered));
}
