-- Users: e-mail addresses are unique regardless of case, enforced by the index (not by a prior
-- SELECT), so two concurrent registrations of one address cannot both succeed.
CREATE TABLE users (
  id uuid PRIMARY KEY,
  email text NOT NULL,
  name text NOT NULL,
  password_hash text NOT NULL,
  role text NOT NULL DEFAULT 'customer' CHECK (role IN ('customer', 'admin')),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));

-- JWT signing keys, shared by every instance. The active key is the newest one not retired; retired
-- keys stay published in the JWKS until every token they signed has expired.
CREATE TABLE signing_keys (
  kid text PRIMARY KEY,
  public_jwk jsonb NOT NULL,
  private_jwk jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  retired_at timestamptz
);
CREATE INDEX signing_keys_active ON signing_keys (created_at DESC) WHERE retired_at IS NULL;
