-- migrate:up
CREATE TYPE user_role AS ENUM ('CUSTOMER', 'SELLER', 'ADMIN');

CREATE TABLE users (
  id            uuid PRIMARY KEY,
  -- stored normalised (trimmed, lower-case): uniqueness is case-insensitive
  email         text NOT NULL CHECK (email = lower(email)),
  password_hash text NOT NULL,
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  role          user_role NOT NULL DEFAULT 'CUSTOMER',
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  deleted_at    timestamptz
);
CREATE UNIQUE INDEX users_email_unique ON users (email) WHERE deleted_at IS NULL;

-- Rotating refresh tokens: only a SHA-256 of each token is stored. A family is one login;
-- presenting a token that was already rotated revokes its whole family (reuse detection).
CREATE TABLE refresh_tokens (
  id         uuid PRIMARY KEY,
  family_id  uuid NOT NULL,
  user_id    uuid NOT NULL REFERENCES users (id),
  token_hash text NOT NULL UNIQUE,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  rotated_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

-- Reward points (적립금): a balance per user and an append-only ledger.
CREATE TYPE point_entry_type AS ENUM ('EARN', 'USE', 'REFUND', 'EXPIRE', 'ADJUST');

CREATE TABLE point_accounts (
  user_id    uuid PRIMARY KEY REFERENCES users (id),
  balance    integer NOT NULL DEFAULT 0 CHECK (balance >= 0),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE point_entries (
  id            uuid PRIMARY KEY,
  user_id       uuid NOT NULL REFERENCES point_accounts (user_id),
  type          point_entry_type NOT NULL,
  -- signed: credits (EARN, REFUND) positive, debits (USE, EXPIRE) negative, ADJUST either
  amount        integer NOT NULL CHECK (amount <> 0),
  balance_after integer NOT NULL CHECK (balance_after >= 0),
  reason        text NOT NULL,
  order_id      uuid,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX point_entries_history ON point_entries (user_id, id DESC);
-- one entry of each type per order: using, refunding and earning are idempotent per order
CREATE UNIQUE INDEX point_entries_once_per_order ON point_entries (user_id, order_id, type) WHERE order_id IS NOT NULL;

CREATE FUNCTION refuse_ledger_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'point_entries is append-only';
END $$;
CREATE TRIGGER point_entries_append_only BEFORE UPDATE OR DELETE ON point_entries
  FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();

-- migrate:down
DROP TABLE point_entries;
DROP FUNCTION refuse_ledger_change;
DROP TABLE point_accounts;
DROP TYPE point_entry_type;
DROP TABLE refresh_tokens;
DROP TABLE users;
DROP TYPE user_role;
