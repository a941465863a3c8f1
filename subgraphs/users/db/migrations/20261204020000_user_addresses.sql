-- migrate:up
-- A user's address book: up to 10 shipping addresses (a limit the application keeps under a lock of
-- the user's row), exactly one of them the default while there are any (the partial unique index
-- allows at most one; the application promotes another when the default goes). version grows on
-- every change of a row and travels in users.address.saved / users.address.removed, so a consumer
-- (orders' projection) keeps the newest state whatever order the events arrive in.
CREATE TABLE user_addresses (
  id             uuid PRIMARY KEY,
  user_id        uuid NOT NULL REFERENCES users (id),
  label          text CHECK (length(label) BETWEEN 1 AND 20),
  recipient      text NOT NULL CHECK (length(recipient) BETWEEN 1 AND 50),
  phone          text NOT NULL CHECK (phone ~ '^01[016789]-[0-9]{3,4}-[0-9]{4}$'),
  zip_code       text NOT NULL CHECK (zip_code ~ '^[0-9]{5}$'),
  road_address   text NOT NULL CHECK (length(road_address) BETWEEN 1 AND 200),
  detail_address text NOT NULL DEFAULT '' CHECK (length(detail_address) <= 200),
  is_default     boolean NOT NULL DEFAULT false,
  version        integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  created_at     timestamptz(3) NOT NULL DEFAULT now(),
  updated_at     timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX user_addresses_user ON user_addresses (user_id, created_at DESC);
CREATE UNIQUE INDEX user_addresses_one_default ON user_addresses (user_id) WHERE is_default;

-- migrate:down
DROP TABLE user_addresses;
