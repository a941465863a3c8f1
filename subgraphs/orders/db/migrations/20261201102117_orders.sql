-- migrate:up
CREATE TYPE order_status AS ENUM (
  'PENDING', 'AWAITING_PAYMENT', 'PAID', 'SHIPPING_PENDING', 'SHIPPING', 'DELIVERED',
  'CANCELLING', 'CANCELLED', 'REFUNDING', 'REFUNDED'
);

-- One row per order: what the shopper asked for, what the reservations priced it at, where it
-- stands, and its saga (the step awaiting a reply, its attempt and deadline, the steps that may
-- hold something). Every saga transition is one UPDATE of this row under its lock.
CREATE TABLE orders (
  id               uuid PRIMARY KEY,
  user_id          uuid NOT NULL,
  idempotency_key  text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 100),
  -- The request the key was first used with: the same key with another request is refused.
  request_hash     text NOT NULL,
  status           order_status NOT NULL DEFAULT 'PENDING',
  cancel_reason    text,
  coupon_issue_id  uuid,
  points_requested integer NOT NULL DEFAULT 0 CHECK (points_requested >= 0),
  -- Amounts in won, known once the reservations answered (null while PENDING).
  items_total      integer CHECK (items_total >= 0),
  product_discount integer CHECK (product_discount >= 0),
  sale_discount    integer CHECK (sale_discount >= 0),
  coupon_discount  integer CHECK (coupon_discount >= 0),
  points_used      integer CHECK (points_used >= 0),
  amount_to_pay    integer CHECK (amount_to_pay >= 0),
  earned_points    integer,
  payment_id       uuid,
  payment_failures integer NOT NULL DEFAULT 0,
  last_payment_failure text,
  recipient        text NOT NULL,
  phone            text NOT NULL,
  zip_code         text NOT NULL,
  road_address     text NOT NULL,
  detail_address   text NOT NULL DEFAULT '',
  payment_due_at   timestamptz(3),
  -- The saga: the step and action awaiting a reply (null when nothing is awaited), its attempt,
  -- when to resend it or give up (or, AWAITING_PAYMENT, when the order expires), and the forward
  -- steps that were started (each may hold something until compensated).
  saga_step        text,
  saga_action      text,
  saga_attempt     integer NOT NULL DEFAULT 0,
  saga_due_at      timestamptz(3),
  saga_started     text[] NOT NULL DEFAULT '{}',
  version          integer NOT NULL DEFAULT 0,
  created_at       timestamptz(3) NOT NULL DEFAULT now(),
  updated_at       timestamptz(3) NOT NULL DEFAULT now(),
  paid_at          timestamptz(3),
  closed_at        timestamptz(3),
  UNIQUE (user_id, idempotency_key),
  CHECK ((status = 'CANCELLED' OR status = 'CANCELLING' OR status = 'REFUNDING' OR status = 'REFUNDED') = (cancel_reason IS NOT NULL))
);
CREATE INDEX orders_user ON orders (user_id, id DESC);
CREATE INDEX orders_status ON orders (status, id DESC);
CREATE INDEX orders_saga_due ON orders (saga_due_at) WHERE saga_due_at IS NOT NULL;

CREATE TABLE order_items (
  order_id             uuid NOT NULL REFERENCES orders (id),
  line                 integer NOT NULL CHECK (line >= 1),
  product_id           uuid NOT NULL,
  quantity             integer NOT NULL CHECK (quantity BETWEEN 1 AND 1000),
  time_sale_id         uuid,
  -- What the reservations answered (null while PENDING).
  time_sale_product_id uuid,
  sale_discount_rate   integer CHECK (sale_discount_rate BETWEEN 0 AND 100),
  brand_id             uuid,
  seller_id            uuid,
  price                integer CHECK (price > 0),
  product_discount     integer CHECK (product_discount >= 0),
  unit_price           integer CHECK (unit_price >= 0),
  PRIMARY KEY (order_id, line)
);
CREATE INDEX order_items_seller ON order_items (seller_id, order_id DESC) WHERE seller_id IS NOT NULL;

-- Every status change, for the order's history (never updated or deleted).
CREATE TABLE order_transitions (
  id          uuid PRIMARY KEY,
  order_id    uuid NOT NULL REFERENCES orders (id),
  from_status order_status,
  to_status   order_status NOT NULL,
  reason      text,
  at          timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX order_transitions_order ON order_transitions (order_id, id);

-- migrate:down
DROP TABLE order_transitions;
DROP TABLE order_items;
DROP TABLE orders;
DROP TYPE order_status;
