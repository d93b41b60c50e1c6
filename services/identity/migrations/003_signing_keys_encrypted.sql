-- Private signing keys encrypted at rest (issue 15.6): `private_jwe` is the private JWK as a compact
-- JWE (dir + A256GCM) under a key derived from SIGNING_KEY_ENCRYPTION_KEY, which lives in the
-- environment, never in this database. A row written before this migration keeps its plain
-- `private_jwk` until identity's next key refresh encrypts it and clears the plain copy.
ALTER TABLE signing_keys ADD COLUMN private_jwe text;
ALTER TABLE signing_keys ALTER COLUMN private_jwk DROP NOT NULL;
ALTER TABLE signing_keys ADD CONSTRAINT signing_keys_private_present
  CHECK (private_jwe IS NOT NULL OR private_jwk IS NOT NULL);
