-- The catalog's tables. Stock is conserved and auditable (DESIGN.md §4.3):
--   sum(stock_movements.delta) − committed − open (RESERVED) reservations = products.stock
-- for every product, at every commit; `stock >= 0` is the last line of defence against overselling.

CREATE TABLE categories (
  id serial PRIMARY KEY,
  slug text NOT NULL UNIQUE,
  name text NOT NULL
);

CREATE TABLE products (
  id serial PRIMARY KEY,
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  price_cents integer NOT NULL CHECK (price_cents > 0),
  category_id integer NOT NULL REFERENCES categories (id),
  stock integer NOT NULL CHECK (stock >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX products_category ON products (category_id, id);

CREATE TABLE reservations (
  order_id uuid NOT NULL,
  product_id integer NOT NULL REFERENCES products (id),
  quantity integer NOT NULL CHECK (quantity > 0),
  status text NOT NULL CHECK (status IN ('RESERVED', 'COMMITTED', 'RELEASED')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (order_id, product_id)
);
CREATE INDEX reservations_product_status ON reservations (product_id, status);

-- Every change to stock that is not a reservation: the seeded stock (INITIAL), a product created
-- with stock (CREATE), and absolute sets by an admin, as their delta (RESTOCK up, ADJUST down).
CREATE TABLE stock_movements (
  id bigserial PRIMARY KEY,
  product_id integer NOT NULL REFERENCES products (id),
  delta integer NOT NULL,
  kind text NOT NULL CHECK (kind IN ('INITIAL', 'RESTOCK', 'ADJUST', 'CREATE')),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX stock_movements_product ON stock_movements (product_id);
