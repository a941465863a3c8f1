-- migrate:up
-- The order saga's points refunds (the users participant's `refund` command): one row per
-- refunded order. It is the order's tombstone, so a late `use` or `earn` of it is refused
-- (ALREADY_RELEASED) instead of applied after its compensation, and it keeps what the refund gave
-- back and took back, so a resent `refund` gets the same answer. No foreign key to
-- point_accounts: an order that never reached this service is refunded (with nothing) too.
CREATE TABLE refunded_point_orders (
  order_id    uuid PRIMARY KEY,
  user_id     uuid NOT NULL,
  refunded    integer NOT NULL CHECK (refunded >= 0), -- the points the order used, given back
  revoked     integer NOT NULL CHECK (revoked >= 0),  -- the points the order earned, taken back
  refunded_at timestamptz(3) NOT NULL DEFAULT now()
);

-- migrate:down
DROP TABLE refunded_point_orders;
