-- migrate:up
-- The weekly seller settlement (docs/DOMAIN.md, "Settlement"; docs/ARCHITECTURE.md, "Settlement").

-- Time-ordered UUIDs (v7) made by the database: settlement rows are written by set-based SQL, and
-- lists page them newest first by id like every other list.
CREATE FUNCTION uuid_v7() RETURNS uuid LANGUAGE sql VOLATILE AS $$
  SELECT encode(
    set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
      PLACING substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
      FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid
$$;

-- The catalog's brands and grades as its events told them (catalog.brand.changed,
-- catalog.grade.changed): who owns a brand (a seller sees their brands' settlements) and the fee
-- rate of its grade. The newest version wins, whatever order the events arrive in.
CREATE TABLE catalog_brands (
  brand_id   uuid PRIMARY KEY,
  owner_id   uuid NOT NULL,
  name       text NOT NULL,
  grade      text NOT NULL,
  deleted    boolean NOT NULL,
  version    integer NOT NULL,
  updated_at timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX catalog_brands_of_owner ON catalog_brands (owner_id);
CREATE TABLE catalog_grades (
  grade       text PRIMARY KEY,
  name        text NOT NULL,
  -- basis points: 350 = 3.5 %
  fee_rate_bp integer NOT NULL CHECK (fee_rate_bp BETWEEN 0 AND 10000),
  version     integer NOT NULL,
  updated_at  timestamptz(3) NOT NULL DEFAULT now()
);

-- The catalog's seeded grades (its migration 20261203000000_brand_grades, version 1): known here
-- from the start, whether or not their first events reach this replica.
INSERT INTO catalog_grades (grade, name, fee_rate_bp, version)
VALUES ('BASIC', 'Basic', 350, 1), ('SILVER', 'Silver', 300, 1), ('GOLD', 'Gold', 250, 1);

CREATE TYPE settlement_run_status AS ENUM ('RUNNING', 'SUCCEEDED', 'FAILED');
-- A run takes the payments, then the refunds, chunk by chunk, then closes the totals.
CREATE TYPE settlement_run_phase AS ENUM ('PAYMENTS', 'REFUNDS', 'TOTALS', 'DONE');
CREATE TABLE settlement_runs (
  id                  uuid PRIMARY KEY,
  job                 text NOT NULL,
  period_start        timestamptz(3) NOT NULL,
  period_end          timestamptz(3) NOT NULL CHECK (period_end > period_start),
  status              settlement_run_status NOT NULL DEFAULT 'RUNNING',
  phase               settlement_run_phase NOT NULL DEFAULT 'PAYMENTS',
  -- the payments and refunds the run takes (counted by its first chunk) and how many it has taken
  total               integer CHECK (total >= 0),
  processed           integer NOT NULL DEFAULT 0 CHECK (processed >= 0),
  -- keyset checkpoints: the last payment and refund a committed chunk took
  payment_cursor      uuid,
  refund_cursor       uuid,
  -- the grade and fee rate of a brand the catalog never told payments about
  default_grade       text NOT NULL,
  default_fee_rate_bp integer NOT NULL CHECK (default_fee_rate_bp BETWEEN 0 AND 10000),
  -- the ADMIN who asked for it; NULL: the schedule or the command line
  requested_by        uuid,
  -- the process running it, which holds the run's advisory lock (released when it dies)
  runner              text,
  -- failures in a row; the run fails at SETTLEMENT_ATTEMPTS and an ADMIN may run it again
  failures            integer NOT NULL DEFAULT 0,
  error               text,
  started_at          timestamptz(3) NOT NULL DEFAULT now(),
  finished_at         timestamptz(3),
  UNIQUE (job, period_start),
  CHECK ((status = 'RUNNING') = (finished_at IS NULL)),
  CHECK ((status = 'SUCCEEDED') = (phase = 'DONE'))
);
CREATE INDEX settlement_runs_running ON settlement_runs (period_start) WHERE status = 'RUNNING';

-- The fee rates a run uses, as the grades stood when it started: a run resumed after a grade
-- change still gives the fees it would have given uninterrupted.
CREATE TABLE settlement_fee_rates (
  run_id      uuid NOT NULL REFERENCES settlement_runs (id),
  brand_id    uuid NOT NULL,
  grade       text NOT NULL,
  fee_rate_bp integer NOT NULL CHECK (fee_rate_bp BETWEEN 0 AND 10000),
  PRIMARY KEY (run_id, brand_id)
);

-- One brand's settlement for one period (its run): won as bigint, a brand's week may pass 2^31.
CREATE TABLE settlements (
  id            uuid PRIMARY KEY DEFAULT uuid_v7(),
  run_id        uuid NOT NULL REFERENCES settlement_runs (id),
  brand_id      uuid NOT NULL,
  gross         bigint NOT NULL DEFAULT 0 CHECK (gross >= 0),
  -- a brand's part of a partial refund may, by rounding, be -1 won
  refunds       bigint NOT NULL DEFAULT 0,
  payment_count integer NOT NULL DEFAULT 0,
  refund_count  integer NOT NULL DEFAULT 0,
  -- set when the run closes its totals
  grade         text,
  fee_rate_bp   integer,
  fee           bigint,
  net           bigint,
  UNIQUE (run_id, brand_id),
  CHECK ((fee IS NULL) = (net IS NULL) AND (fee IS NULL) = (fee_rate_bp IS NULL))
);
CREATE INDEX settlements_of_brand ON settlements (brand_id, id DESC);

-- Which settlement took a payment or a refund: each is settled once, and a closed settlement is
-- never rewritten (a refund completed after its payment was settled goes to a later one).
ALTER TABLE payments ADD COLUMN settlement_run_id uuid REFERENCES settlement_runs (id);
CREATE INDEX payments_unsettled ON payments (id)
  WHERE settlement_run_id IS NULL AND purpose = 'ORDER' AND approved_at IS NOT NULL;

-- A completed refund's part of each brand (won per brand id, summing to its amount): the split of
-- what the payment has refunded after it, less the split before it, so a payment's refunds never
-- take more from a brand than the brand's part of the payment.
ALTER TABLE refunds
  ADD COLUMN amounts_by_brand jsonb,
  ADD COLUMN settlement_run_id uuid REFERENCES settlement_runs (id);
CREATE INDEX refunds_unsettled ON refunds (id)
  WHERE settlement_run_id IS NULL AND status = 'DONE' AND amounts_by_brand IS NOT NULL;

-- Refunds completed before this migration: each split on its own (largest remainders, ties by brand id).
WITH parts AS (
  SELECT r.id, r.amount, part.brand,
         (r.amount::bigint * part.won::bigint) / p.amount AS floor_won,
         (r.amount::bigint * part.won::bigint) % p.amount AS remainder
  FROM refunds r
  JOIN payments p ON p.id = r.payment_id
  JOIN payable_orders o ON o.order_id = p.order_id
  CROSS JOIN LATERAL jsonb_each_text(o.amounts_by_brand) AS part(brand, won)
  WHERE r.status = 'DONE'
), shares AS (
  SELECT id, brand, floor_won + CASE
    WHEN row_number() OVER (PARTITION BY id ORDER BY remainder DESC, brand) <= amount - sum(floor_won) OVER (PARTITION BY id)
    THEN 1 ELSE 0 END AS won
  FROM parts
)
UPDATE refunds r SET amounts_by_brand = split.amounts
  FROM (SELECT id, jsonb_object_agg(brand, won) AS amounts FROM shares GROUP BY id) AS split
  WHERE r.id = split.id;

-- migrate:down
DROP INDEX refunds_unsettled;
ALTER TABLE refunds DROP COLUMN settlement_run_id, DROP COLUMN amounts_by_brand;
DROP INDEX payments_unsettled;
ALTER TABLE payments DROP COLUMN settlement_run_id;
DROP TABLE settlements;
DROP TABLE settlement_fee_rates;
DROP TABLE settlement_runs;
DROP TYPE settlement_run_phase;
DROP TYPE settlement_run_status;
DROP TABLE catalog_grades;
DROP TABLE catalog_brands;
DROP FUNCTION uuid_v7;
