-- migrate:up
-- A session is one sign-in: a refresh-token family (refresh_tokens.family_id), whose id is the
-- `sid` of its access tokens. Users list their live sessions and end them; a password change
-- ends the others, a reset all of them. Writers lock a session's row before its refresh tokens
-- (users → sessions → refresh_tokens), so a refresh racing an ending serializes with it.
CREATE TABLE sessions (
  id           uuid PRIMARY KEY,
  user_id      uuid NOT NULL REFERENCES users (id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  -- the last sign-in or refresh
  last_used_at timestamptz NOT NULL DEFAULT now(),
  -- when its newest refresh token expires: a session not refreshed by then is over
  expires_at   timestamptz NOT NULL,
  -- the client's User-Agent when it signed in, as the gateway passed it on (cut to 256 characters)
  user_agent   text CHECK (length(user_agent) <= 256),
  ended_at     timestamptz
);
CREATE INDEX sessions_user_live ON sessions (user_id, created_at DESC) WHERE ended_at IS NULL;

-- Every family signed in so far. Live: its latest token is neither rotated, revoked nor expired.
INSERT INTO sessions (id, user_id, created_at, last_used_at, expires_at, ended_at)
SELECT family_id,
       (array_agg(user_id))[1],
       min(created_at),
       max(created_at),
       max(expires_at),
       CASE
         WHEN bool_or(rotated_at IS NULL AND revoked_at IS NULL AND expires_at > now()) THEN NULL
         ELSE coalesce(max(revoked_at), least(max(expires_at), now()))
       END
FROM refresh_tokens
GROUP BY family_id;

ALTER TABLE refresh_tokens
  ADD CONSTRAINT refresh_tokens_session FOREIGN KEY (family_id) REFERENCES sessions (id);

-- migrate:down
ALTER TABLE refresh_tokens DROP CONSTRAINT refresh_tokens_session;
DROP TABLE sessions;
