CREATE TABLE notifications (
  id bigserial PRIMARY KEY,
  order_id uuid NOT NULL,
  kind text NOT NULL,
  message text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (order_id, kind)
);

CREATE TABLE inbox (
  message_id uuid PRIMARY KEY,
  handled_at timestamptz NOT NULL DEFAULT now()
);
