import type pg from 'pg';

export interface LoginThrottleSettings {
  /** Failed logins of one account within the window that lock it. */
  maxFailures: number;
  windowSeconds: number;
  lockoutSeconds: number;
}

/** Seconds the account named by `email` stays locked, or 0 when it may try to log in. */
export async function lockedForSeconds(pool: pg.Pool, email: string): Promise<number> {
  const { rows } = await pool.query<{ seconds: number }>(
    `SELECT extract(epoch FROM locked_until - now())::float8 AS seconds
       FROM login_failures WHERE email_key = lower($1) AND locked_until > now()`,
    [email],
  );
  return rows[0]?.seconds ?? 0;
}

/**
 * Counts a failed login of `email` in one statement (concurrent failures cannot both read the old
 * count, the row is locked by the upsert): a failure after the window has passed starts a new window; the one that reaches
 * `maxFailures` locks the account for `lockoutSeconds`. Returns the seconds it is now locked for (0: not).
 */
export async function recordLoginFailure(
  pool: pg.Pool,
  email: string,
  settings: LoginThrottleSettings,
): Promise<number> {
  // In UPDATE SET every column reference is the row as it was, so `stale` and the new count agree.
  const stale = 'f.window_started_at < now() - make_interval(secs => $2)';
  const count = `CASE WHEN ${stale} THEN 1 ELSE f.failures + 1 END`;
  const { rows } = await pool.query<{ seconds: number }>(
    `INSERT INTO login_failures AS f (email_key, failures, window_started_at, locked_until)
       VALUES (lower($1), 1, now(), CASE WHEN 1 >= $3 THEN now() + make_interval(secs => $4) END)
     ON CONFLICT (email_key) DO UPDATE SET
       failures = ${count},
       window_started_at = CASE WHEN ${stale} THEN now() ELSE f.window_started_at END,
       locked_until = CASE WHEN ${count} >= $3 THEN now() + make_interval(secs => $4) ELSE f.locked_until END
     RETURNING greatest(coalesce(extract(epoch FROM f.locked_until - now()), 0), 0)::float8 AS seconds`,
    [email, settings.windowSeconds, settings.maxFailures, settings.lockoutSeconds],
  );
  return rows[0]?.seconds ?? 0;
}

/** A successful login clears the account's failures. */
export async function clearLoginFailures(pool: pg.Pool, email: string): Promise<void> {
  await pool.query('DELETE FROM login_failures WHERE email_key = lower($1)', [email]);
}

/** Drops windows that ended long ago and locks that have run out, so the table holds recent failures only. */
export async function pruneLoginFailures(pool: pg.Pool, settings: LoginThrottleSettings): Promise<number> {
  const { rowCount } = await pool.query(
    `DELETE FROM login_failures
      WHERE window_started_at < now() - make_interval(secs => $1)
        AND (locked_until IS NULL OR locked_until < now())`,
    [settings.windowSeconds],
  );
  return rowCount ?? 0;
}
