-- One notification per order, written when the order reaches its terminal state.
CREATE TABLE notifications (
  id bigserial PRIMARY KEY,
  order_id uuid NOT NULL UNIQUE,
  user_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('ORDER_CONFIRMED', 'ORDER_CANCELLED')),
  message text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
