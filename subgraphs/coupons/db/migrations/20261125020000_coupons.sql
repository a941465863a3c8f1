-- migrate:up
CREATE TYPE coupon_type AS ENUM ('FIRST_COME_FIRST_SERVED', 'UNLIMITED');
CREATE TYPE discount_type AS ENUM ('RATE', 'AMOUNT');

CREATE TABLE coupons (
  id                uuid PRIMARY KEY,
  title             text NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
  type              coupon_type NOT NULL,
  discount_type     discount_type NOT NULL,
  -- RATE: percent 1..100; AMOUNT: won
  discount_rate     integer CHECK (discount_rate BETWEEN 1 AND 100),
  discount_amount   integer CHECK (discount_amount > 0),
  -- the order amount range the coupon applies to; NULL is no bound
  min_order_amount  integer CHECK (min_order_amount >= 0),
  max_order_amount  integer CHECK (max_order_amount >= 0),
  issue_start_at    timestamptz NOT NULL,
  issue_end_at      timestamptz NOT NULL,
  -- an issued coupon expires at valid_until, or valid_days after it was issued
  valid_until       timestamptz,
  valid_days        integer CHECK (valid_days > 0),
  total_quantity    integer CHECK (total_quantity > 0),
  issued_quantity   integer NOT NULL DEFAULT 0 CHECK (issued_quantity >= 0),
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  deleted_at        timestamptz,
  CHECK (issue_start_at < issue_end_at),
  CHECK ((discount_type = 'RATE') = (discount_rate IS NOT NULL)),
  CHECK ((discount_type = 'AMOUNT') = (discount_amount IS NOT NULL)),
  CHECK (min_order_amount IS NULL OR max_order_amount IS NULL OR min_order_amount <= max_order_amount),
  CHECK ((valid_until IS NULL) <> (valid_days IS NULL)),
  CHECK ((type = 'FIRST_COME_FIRST_SERVED') = (total_quantity IS NOT NULL)),
  CHECK (total_quantity IS NULL OR issued_quantity <= total_quantity)
);
CREATE INDEX coupons_window ON coupons (issue_start_at, issue_end_at) WHERE deleted_at IS NULL;

CREATE TYPE coupon_issue_status AS ENUM ('ISSUED', 'USED', 'EXPIRED');

CREATE TABLE coupon_issues (
  id          uuid PRIMARY KEY,
  coupon_id   uuid NOT NULL REFERENCES coupons (id),
  user_id     uuid NOT NULL,
  -- the id the claimer was given when Redis accepted the claim
  claim_id    uuid NOT NULL UNIQUE,
  status      coupon_issue_status NOT NULL DEFAULT 'ISSUED',
  issued_at   timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  order_id    uuid,
  used_at     timestamptz,
  CHECK ((status = 'USED') = (order_id IS NOT NULL AND used_at IS NOT NULL))
);
-- one coupon per user: persisting a redelivered claim changes nothing
CREATE UNIQUE INDEX coupon_issues_once_per_user ON coupon_issues (coupon_id, user_id);
CREATE INDEX coupon_issues_by_user ON coupon_issues (user_id, id DESC);
-- one coupon per order
CREATE UNIQUE INDEX coupon_issues_by_order ON coupon_issues (order_id) WHERE order_id IS NOT NULL;
CREATE INDEX coupon_issues_expiring ON coupon_issues (expires_at) WHERE status = 'ISSUED';

-- migrate:down
DROP TABLE coupon_issues;
DROP TYPE coupon_issue_status;
DROP TABLE coupons;
DROP TYPE discount_type;
DROP TYPE coupon_type;
