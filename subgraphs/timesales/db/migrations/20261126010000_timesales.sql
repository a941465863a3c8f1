-- migrate:up
-- The overlap rule (one product in at most one sale at any instant) is an exclusion constraint
-- on (product_id, selling window): btree_gist lets a GiST index compare uuids with =.
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- What the timesales subgraph knows of catalog products, projected from the catalog's events
-- (consumer of queue timesales.catalog-products). Each event carries a snapshot of one group of
-- fields and the product's version; a group changes only for a newer version of that group, so
-- events arriving out of order (relays do not promise order) never undo a newer change.
CREATE TABLE products (
  id                   uuid PRIMARY KEY,
  brand_id             uuid NOT NULL,
  -- the brand owner (a SELLER) when an event carried it; NULL: only ADMINs put it on sale
  owner_id             uuid,
  -- price group: catalog.product.created, catalog.product.price-changed
  price                integer CHECK (price > 0),
  discount_amount      integer CHECK (discount_amount >= 0),
  price_version        integer,
  -- availability group: created, stock-changed, status-changed
  status               text CHECK (status IN ('ON_SALE', 'SOLD_OUT', 'HIDDEN')),
  stock                integer CHECK (stock >= 0),
  availability_version integer,
  -- catalog.product.deleted: final
  deleted              boolean NOT NULL DEFAULT false,
  -- the highest version seen in any event of the product
  version              integer NOT NULL CHECK (version >= 0),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  CHECK ((price IS NULL) = (price_version IS NULL) AND (price IS NULL) = (discount_amount IS NULL)),
  CHECK (discount_amount IS NULL OR discount_amount < price),
  CHECK ((status IS NULL) = (availability_version IS NULL) AND (status IS NULL) = (stock IS NULL)),
  CHECK (price_version <= version AND availability_version <= version)
);

-- Catalog messages already applied (at-least-once delivery: a redelivery is skipped).
CREATE TABLE inbox_messages (
  message_id  text PRIMARY KEY,
  received_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE time_sales (
  id          uuid PRIMARY KEY,
  title       text NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
  start_at    timestamptz NOT NULL,
  end_at      timestamptz NOT NULL,
  -- the ADMIN or SELLER who created it (a user of the users subgraph)
  created_by  uuid NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  deleted_at  timestamptz,
  deleted     boolean GENERATED ALWAYS AS (deleted_at IS NOT NULL) STORED,
  CHECK (start_at < end_at),
  -- target of time_sale_products' copy of the window (see there)
  UNIQUE (id, start_at, end_at, deleted)
);
CREATE INDEX time_sales_by_start ON time_sales (start_at, id) WHERE deleted_at IS NULL;
CREATE INDEX time_sales_by_end ON time_sales (end_at) WHERE deleted_at IS NULL;

CREATE TABLE time_sale_products (
  id              uuid PRIMARY KEY,
  time_sale_id    uuid NOT NULL,
  -- The sale's window and deletion, copied and kept equal by the foreign key's ON UPDATE
  -- CASCADE, so the rules below (own window inside the sale's, no overlap between live sales)
  -- hold in the database whatever changes the sale.
  sale_start_at   timestamptz NOT NULL,
  sale_end_at     timestamptz NOT NULL,
  sale_deleted    boolean NOT NULL DEFAULT false,
  product_id      uuid NOT NULL REFERENCES products (id),
  -- the product's brand when it was added (sellers are authorized by brand ownership)
  brand_id        uuid NOT NULL,
  discount_rate   integer NOT NULL CHECK (discount_rate BETWEEN 1 AND 99),
  total_quantity  integer NOT NULL CHECK (total_quantity >= 1),
  -- reservations held (RESERVED rows of sale_reservations); Redis decides, this follows
  sold_quantity   integer NOT NULL DEFAULT 0 CHECK (sold_quantity >= 0),
  per_user_limit  integer CHECK (per_user_limit >= 1),
  -- a narrower window of its own inside the sale's; NULL: the sale's start / end
  start_at        timestamptz,
  end_at          timestamptz,
  selling         tstzrange GENERATED ALWAYS AS (
                    tstzrange(coalesce(start_at, sale_start_at), coalesce(end_at, sale_end_at), '[)')
                  ) STORED,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (time_sale_id, sale_start_at, sale_end_at, sale_deleted)
    REFERENCES time_sales (id, start_at, end_at, deleted) ON UPDATE CASCADE,
  CHECK (sold_quantity <= total_quantity),
  CHECK (coalesce(start_at, sale_start_at) < coalesce(end_at, sale_end_at)),
  CHECK (coalesce(start_at, sale_start_at) >= sale_start_at AND coalesce(end_at, sale_end_at) <= sale_end_at),
  -- a product is in at most one sale at any instant (windows are half-open: back to back is fine)
  CONSTRAINT time_sale_products_no_overlap
    EXCLUDE USING gist (product_id WITH =, selling WITH &&) WHERE (NOT sale_deleted)
);
CREATE INDEX time_sale_products_by_sale ON time_sale_products (time_sale_id, id);

-- Sale quantity held by orders: one row per (order, sale product) makes reserving and
-- releasing idempotent. RESERVED rows sum to sold_quantity.
CREATE TYPE sale_reservation_status AS ENUM ('RESERVED', 'RELEASED');
CREATE TABLE sale_reservations (
  order_id             uuid NOT NULL,
  time_sale_product_id uuid NOT NULL REFERENCES time_sale_products (id),
  user_id              uuid NOT NULL,
  quantity             integer NOT NULL CHECK (quantity >= 1),
  status               sale_reservation_status NOT NULL DEFAULT 'RESERVED',
  reserved_at          timestamptz NOT NULL,
  released_at          timestamptz,
  PRIMARY KEY (order_id, time_sale_product_id),
  CHECK ((status = 'RELEASED') = (released_at IS NOT NULL))
);
CREATE INDEX sale_reservations_by_product ON sale_reservations (time_sale_product_id, user_id);

-- Orders whose sale quantity was released. Written before anything is given back, so a reserve
-- of the same order that Redis accepted but PostgreSQL has not recorded yet (a crash, a
-- redelivery racing the compensation) is given back instead of recorded.
CREATE TABLE released_orders (
  order_id    uuid PRIMARY KEY,
  released_at timestamptz NOT NULL DEFAULT now()
);

-- Clock-driven transitions that happened: the primary key makes each fire once across replicas,
-- and its row is inserted in the transaction of the outbox event announcing it.
CREATE TYPE time_sale_transition_kind AS ENUM ('STARTED', 'ENDED', 'SOLD_OUT');
CREATE TABLE time_sale_transitions (
  time_sale_id uuid NOT NULL REFERENCES time_sales (id),
  kind         time_sale_transition_kind NOT NULL,
  -- the service clock's instant when it fired
  fired_at     timestamptz NOT NULL,
  PRIMARY KEY (time_sale_id, kind)
);

-- migrate:down
DROP TABLE time_sale_transitions;
DROP TYPE time_sale_transition_kind;
DROP TABLE released_orders;
DROP TABLE sale_reservations;
DROP TYPE sale_reservation_status;
DROP TABLE time_sale_products;
DROP TABLE time_sales;
DROP TABLE inbox_messages;
DROP TABLE products;
