-- migrate:up
-- Coupon use in the order saga (src/domain/redemptions.ts).

-- The discount a use granted, kept with it: the same order asking again (a resent command) is
-- answered this, even if the coupon was edited since. Nothing used coupons before the saga, so
-- no USED row lacks it.
ALTER TABLE coupon_issues ADD COLUMN discount integer CHECK (discount >= 0);
ALTER TABLE coupon_issues
  ADD CONSTRAINT coupon_issues_discount_when_used CHECK ((status = 'USED') = (discount IS NOT NULL));

-- Orders whose coupon use was undone (the saga's compensation), with the issue given back (NULL
-- when the order held none). Every restore writes one, even for an order that never used a
-- coupon, since the use may still be on its way: a use of a restored order is refused, never
-- applied late, and a restore asked again answers the same.
CREATE TABLE restored_orders (
  order_id    uuid PRIMARY KEY,
  issue_id    uuid REFERENCES coupon_issues (id),
  restored_at timestamptz NOT NULL
);

-- migrate:down
DROP TABLE restored_orders;
ALTER TABLE coupon_issues DROP CONSTRAINT coupon_issues_discount_when_used;
ALTER TABLE coupon_issues DROP COLUMN discount;
