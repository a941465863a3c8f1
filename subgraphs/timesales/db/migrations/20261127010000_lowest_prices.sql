-- migrate:up
-- The lowest prices of a page of products read their sale products by product id in one statement
-- (the exclusion constraint's GiST index serves `product_id = ANY(…)` only through a bitmap scan).
CREATE INDEX time_sale_products_by_product ON time_sale_products (product_id);

-- Starts and ends of sale products' own windows, which the selling-boundaries scheduler recomputes
-- lowest prices at.
CREATE INDEX time_sale_products_own_starts ON time_sale_products (start_at)
  WHERE start_at IS NOT NULL AND NOT sale_deleted;
CREATE INDEX time_sale_products_own_ends ON time_sale_products (end_at)
  WHERE end_at IS NOT NULL AND NOT sale_deleted;

-- migrate:down
DROP INDEX time_sale_products_own_ends;
DROP INDEX time_sale_products_own_starts;
DROP INDEX time_sale_products_by_product;
