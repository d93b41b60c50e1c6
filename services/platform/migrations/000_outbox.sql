-- The outbox (services/platform/src/messaging/outbox-relay.ts): events written in the same
-- transaction as the state change they announce, published by the relay after the broker confirms.
CREATE TABLE IF NOT EXISTS outbox (
  id bigserial PRIMARY KEY,
  message_id uuid NOT NULL UNIQUE,
  routing_key text NOT NULL,
  payload jsonb NOT NULL,
  traceparent text,
  created_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz
);
CREATE INDEX IF NOT EXISTS outbox_unpublished ON outbox (id) WHERE published_at IS NULL;
