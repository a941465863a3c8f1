-- migrate:up
-- Brand grades (issue 13, the weekly seller settlement): payments charges each brand a fee of
-- its gross times its grade's rate, rounded down. The catalog owns brands, so it owns their
-- grades, and publishes both (catalog.grade.changed, catalog.brand.changed) for the payments
-- subgraph's replica; `npm run catalog:republish` sends a snapshot of every one to a late consumer.
CREATE TABLE brand_grades (
  code        text PRIMARY KEY CHECK (code ~ '^[A-Z][A-Z0-9_]{1,19}$'),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
  -- basis points: 350 = 3.5 % (clients give and see a percent with at most 2 decimals)
  fee_rate_bp integer NOT NULL CHECK (fee_rate_bp BETWEEN 0 AND 10000),
  -- bumped by every change: consumers of grade events drop ones older than what they hold
  version     integer NOT NULL DEFAULT 1,
  created_at  timestamptz(3) NOT NULL DEFAULT now(),
  updated_at  timestamptz(3) NOT NULL DEFAULT now()
);
INSERT INTO brand_grades (code, name, fee_rate_bp) VALUES
  ('BASIC', 'Basic', 350),
  ('SILVER', 'Silver', 300),
  ('GOLD', 'Gold', 250);

-- Every brand, existing ones included, starts BASIC. version is bumped by every brand change
-- (rename, grade, delete), as products' is, so consumers of brand events keep the newest state.
ALTER TABLE brands
  ADD COLUMN grade   text NOT NULL DEFAULT 'BASIC' REFERENCES brand_grades (code),
  ADD COLUMN version integer NOT NULL DEFAULT 1;

-- migrate:down
ALTER TABLE brands
  DROP COLUMN version,
  DROP COLUMN grade;
DROP TABLE brand_grades;
