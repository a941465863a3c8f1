-- migrate:up
-- A payment's lookups by order (is one in flight or approved? the one to refund) read the table
-- whole without it: the partial unique index only serves queries that repeat its predicate.
CREATE INDEX payments_by_order ON payments (order_id) WHERE order_id IS NOT NULL;

-- migrate:down
DROP INDEX payments_by_order;
