-- migrate:up
-- The order saga (docs/ARCHITECTURE.md, "Order saga"): the catalog answers orders' stock commands
-- from what it stored when it decided, so a resent command gets the same answer however the
-- product changed since.

-- What a reservation's reply reports, as it was at reservation: the brand, its owner (the
-- seller), the price and the discount.
ALTER TABLE stock_reservations
  ADD COLUMN brand_id        uuid,
  ADD COLUMN seller_id       uuid,
  ADD COLUMN price           integer,
  ADD COLUMN discount_amount integer;
-- Reservations made before this migration: the product and brand as they are now (the best known).
UPDATE stock_reservations r
  SET brand_id = p.brand_id, seller_id = b.owner_id, price = p.price, discount_amount = p.discount_amount
  FROM products p JOIN brands b ON b.id = p.brand_id
  WHERE p.id = r.product_id;
ALTER TABLE stock_reservations
  ALTER COLUMN brand_id SET NOT NULL,
  ALTER COLUMN seller_id SET NOT NULL,
  ALTER COLUMN price SET NOT NULL,
  ALTER COLUMN discount_amount SET NOT NULL,
  ADD CONSTRAINT stock_reservations_price CHECK (price > 0 AND discount_amount >= 0 AND discount_amount < price);

-- Orders whose reservation was refused, with the reason and the product that failed: a resent
-- reserve command of the order is answered the same refusal, even if stock came back meanwhile.
CREATE TYPE stock_refusal_reason AS ENUM ('OUT_OF_STOCK', 'PRODUCT_NOT_FOUND');
CREATE TABLE stock_refusals (
  order_id   uuid PRIMARY KEY,
  reason     stock_refusal_reason NOT NULL,
  -- not a foreign key: the product may be unknown (PRODUCT_NOT_FOUND)
  product_id uuid NOT NULL,
  refused_at timestamptz NOT NULL DEFAULT now()
);

-- Orders whose stock was released (the saga's compensation), whether or not they had reserved
-- any: a reserve command of the order arriving later (a late copy, one still in retry) is
-- refused ALREADY_RELEASED instead of taking stock for an order that is being cancelled.
CREATE TABLE released_orders (
  order_id    uuid PRIMARY KEY,
  released_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO released_orders (order_id, released_at)
  SELECT order_id, coalesce(max(released_at), now()) FROM stock_reservations
  WHERE status = 'RELEASED' GROUP BY order_id;

-- migrate:down
DROP TABLE released_orders;
DROP TABLE stock_refusals;
DROP TYPE stock_refusal_reason;
ALTER TABLE stock_reservations
  DROP CONSTRAINT stock_reservations_price,
  DROP COLUMN discount_amount,
  DROP COLUMN price,
  DROP COLUMN seller_id,
  DROP COLUMN brand_id;
