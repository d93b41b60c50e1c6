-- One row per order that reached the provider: UNIQUE (order_id) is what makes a second charge for
-- the same order impossible, whatever the broker redelivers.
CREATE TABLE payments (
  id uuid PRIMARY KEY,
  order_id uuid NOT NULL UNIQUE,
  amount_cents bigint NOT NULL CHECK (amount_cents >= 0),
  status text NOT NULL CHECK (status IN ('SUCCEEDED', 'DECLINED')),
  reason text,
  token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
