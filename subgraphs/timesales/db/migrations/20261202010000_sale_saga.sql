-- migrate:up
-- The order saga's timesales step (docs/ARCHITECTURE.md, "Order saga"): its reply reports each
-- sale product's discount rate, and a resent command must get the same reply even after the
-- rate was raised, so a reservation keeps the rate it was made at. Rows from before this
-- migration take the sale product's rate now, the best that is known of it.
ALTER TABLE sale_reservations ADD COLUMN discount_rate integer CHECK (discount_rate BETWEEN 1 AND 99);
UPDATE sale_reservations r SET discount_rate = p.discount_rate
FROM time_sale_products p WHERE p.id = r.time_sale_product_id;
ALTER TABLE sale_reservations ALTER COLUMN discount_rate SET NOT NULL;

-- Why an order's sale quantity was released: NULL when orders released it (the saga's
-- compensation); otherwise its reserve command was refused (this reason, for this item) and what
-- it held of other items was given back. A resent reserve of the order answers the stored refusal.
CREATE TYPE sale_refusal AS ENUM ('SALE_SOLD_OUT', 'SALE_NOT_LIVE', 'NOT_IN_SALE', 'PER_USER_LIMIT');
ALTER TABLE released_orders
  ADD COLUMN refusal              sale_refusal,
  ADD COLUMN refused_time_sale_id uuid,
  ADD COLUMN refused_product_id   uuid,
  ADD CONSTRAINT released_orders_refusal_whole CHECK (
    (refusal IS NULL) = (refused_time_sale_id IS NULL) AND (refusal IS NULL) = (refused_product_id IS NULL)
  );

-- migrate:down
ALTER TABLE released_orders
  DROP CONSTRAINT released_orders_refusal_whole,
  DROP COLUMN refused_product_id,
  DROP COLUMN refused_time_sale_id,
  DROP COLUMN refusal;
DROP TYPE sale_refusal;
ALTER TABLE sale_reservations DROP COLUMN discount_rate;
