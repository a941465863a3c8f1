-- migrate:up
-- What orders knows of users' address books, from the users subgraph's events (queue
-- orders.user-addresses): placeOrder takes a shopper's saved address by id from here, with no
-- call to users. One row per address, the state of the highest version heard (events may arrive
-- in any order); a removed address stays as a tombstone (its version, no personal data), so a
-- late users.address.saved cannot bring it back.
CREATE TABLE user_addresses (
  address_id     uuid PRIMARY KEY,
  user_id        uuid NOT NULL,
  label          text,
  recipient      text,
  phone          text,
  zip_code       text,
  road_address   text,
  detail_address text,
  removed        boolean NOT NULL DEFAULT false,
  version        integer NOT NULL CHECK (version >= 1),
  updated_at     timestamptz(3) NOT NULL DEFAULT now(),
  CHECK (removed = (recipient IS NULL)),
  CHECK (removed OR (phone IS NOT NULL AND zip_code IS NOT NULL AND road_address IS NOT NULL AND detail_address IS NOT NULL))
);
CREATE INDEX user_addresses_user ON user_addresses (user_id);

-- Users whose account was deleted (users.user.role-changed with deleted: true): their projected
-- addresses are erased, and address events about them that arrive later are dropped. The copies
-- inside their orders stay (accounting).
CREATE TABLE erased_users (
  user_id   uuid PRIMARY KEY,
  erased_at timestamptz(3) NOT NULL DEFAULT now()
);

-- migrate:down
DROP TABLE erased_users;
DROP TABLE user_addresses;
