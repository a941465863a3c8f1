-- migrate:up
-- Password reset tokens sent by email: only a SHA-256 of each random token is stored. A token
-- works once (used_at), until expires_at, and only while it is the user's newest: asking again
-- supersedes the older ones (superseded_at). Rows past their expiry are pruned.
CREATE TABLE password_reset_tokens (
  id            uuid PRIMARY KEY,
  user_id       uuid NOT NULL REFERENCES users (id),
  token_hash    text NOT NULL UNIQUE,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  used_at       timestamptz,
  superseded_at timestamptz
);
CREATE INDEX password_reset_tokens_user ON password_reset_tokens (user_id) WHERE used_at IS NULL AND superseded_at IS NULL;
CREATE INDEX password_reset_tokens_expiry ON password_reset_tokens (expires_at);

-- migrate:down
DROP TABLE password_reset_tokens;
