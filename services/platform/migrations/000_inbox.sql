-- The inbox (services/platform/src/messaging/inbox.ts): ids of the messages a consumer has handled,
-- recorded in the same transaction as the work, so a redelivery changes nothing.
CREATE TABLE IF NOT EXISTS inbox (
  message_id uuid PRIMARY KEY,
  handled_at timestamptz NOT NULL DEFAULT now()
);
