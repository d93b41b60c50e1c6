-- Failed logins per account (issue 14), so a password cannot be guessed at the speed of the hash.
-- Keyed by the lower-cased e-mail whether or not an account has it: a locked unknown address answers
-- like a locked real one, so the lock tells nothing about which addresses are registered. In the
-- database rather than in memory, so every identity instance counts the same failures.
CREATE TABLE login_failures (
  email_key text PRIMARY KEY,
  failures integer NOT NULL,
  window_started_at timestamptz NOT NULL,
  locked_until timestamptz
);
CREATE INDEX login_failures_window ON login_failures (window_started_at);
