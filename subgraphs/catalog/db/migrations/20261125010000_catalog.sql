-- migrate:up
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE brands (
  id         uuid PRIMARY KEY,
  name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  -- a user of the users subgraph (a SELLER): no foreign key across databases
  owner_id   uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz
);
CREATE UNIQUE INDEX brands_name_unique ON brands (lower(name)) WHERE deleted_at IS NULL;
CREATE INDEX brands_owner ON brands (owner_id) WHERE deleted_at IS NULL;

CREATE TABLE categories (
  id         uuid PRIMARY KEY,
  name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  parent_id  uuid REFERENCES categories (id),
  created_at timestamptz NOT NULL DEFAULT now()
);
-- sibling names are unique (roots share the NULL parent)
CREATE UNIQUE INDEX categories_sibling_name_unique
  ON categories (coalesce(parent_id, '00000000-0000-0000-0000-000000000000'::uuid), lower(name));
CREATE INDEX categories_parent ON categories (parent_id);

CREATE TYPE product_gender AS ENUM ('ALL', 'MAN', 'WOMAN');
CREATE TYPE product_color AS ENUM ('RED', 'ORANGE', 'YELLOW', 'GREEN', 'BLUE', 'NAVY', 'PURPLE');
CREATE TYPE product_size AS ENUM ('SMALL', 'MEDIUM', 'LARGE', 'FREE');
CREATE TYPE product_status AS ENUM ('ON_SALE', 'SOLD_OUT', 'HIDDEN');

CREATE TABLE products (
  id              uuid PRIMARY KEY,
  brand_id        uuid NOT NULL REFERENCES brands (id),
  category_id     uuid NOT NULL REFERENCES categories (id),
  name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  description     text NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
  price           integer NOT NULL CHECK (price > 0),
  discount_amount integer NOT NULL DEFAULT 0 CHECK (discount_amount >= 0 AND discount_amount < price),
  -- what a shopper pays before time sales, coupons and points: sorted and filtered on
  sale_price      integer GENERATED ALWAYS AS (price - discount_amount) STORED,
  gender          product_gender NOT NULL,
  color           product_color NOT NULL,
  size            product_size NOT NULL,
  status          product_status NOT NULL DEFAULT 'ON_SALE',
  stock           integer NOT NULL CHECK (stock >= 0),
  -- bumped by every change: consumers of product events drop ones older than what they hold
  version         integer NOT NULL DEFAULT 1,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  deleted_at      timestamptz,
  -- outside HIDDEN, status follows stock: ON_SALE while there is some, SOLD_OUT at zero
  CHECK (status = 'HIDDEN' OR (status = 'ON_SALE') = (stock > 0))
);
CREATE INDEX products_newest ON products (id DESC) WHERE deleted_at IS NULL;
CREATE INDEX products_by_price ON products (sale_price, id) WHERE deleted_at IS NULL;
CREATE INDEX products_by_brand ON products (brand_id, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX products_by_category ON products (category_id, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX products_name_search ON products USING gin (name gin_trgm_ops) WHERE deleted_at IS NULL;

-- Stock held by orders: one row per (order, product) makes reserving and releasing idempotent.
CREATE TYPE reservation_status AS ENUM ('RESERVED', 'RELEASED');
CREATE TABLE stock_reservations (
  order_id    uuid NOT NULL,
  product_id  uuid NOT NULL REFERENCES products (id),
  quantity    integer NOT NULL CHECK (quantity > 0),
  status      reservation_status NOT NULL DEFAULT 'RESERVED',
  created_at  timestamptz NOT NULL DEFAULT now(),
  released_at timestamptz,
  PRIMARY KEY (order_id, product_id)
);

-- migrate:down
DROP TABLE stock_reservations;
DROP TYPE reservation_status;
DROP TABLE products;
DROP TYPE product_status;
DROP TYPE product_size;
DROP TYPE product_color;
DROP TYPE product_gender;
DROP TABLE categories;
DROP TABLE brands;
