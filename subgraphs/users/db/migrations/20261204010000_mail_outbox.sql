-- migrate:up
-- Mail to users, sent through SMTP by the relay in the users service (src/mail/relay.ts). A mail
-- is written in the transaction of what causes it (a reset asked for, a password changed), so it
-- is sent once that commits, whether or not the mail server is up at that moment. Relays on
-- every replica share the table: a relay leases the rows it sends (locked_until), so no two send
-- one mail while they run normally. Bodies may carry secrets (a reset link): they are erased once
-- a mail is sent, failed for good or cancelled, which the table itself enforces.
CREATE TABLE mail_outbox (
  id              uuid PRIMARY KEY,
  -- the account it is for, if any: a mail whose account is deleted before it is sent is cancelled
  user_id         uuid,
  recipient       text NOT NULL CHECK (length(recipient) BETWEEN 3 AND 254),
  template        text NOT NULL CHECK (template ~ '^[a-z][a-z0-9-]*$'),
  locale          text NOT NULL CHECK (locale IN ('ko', 'en')),
  subject         text NOT NULL,
  text_body       text,
  html_body       text,
  status          text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'SENT', 'FAILED', 'CANCELLED')),
  -- SMTP attempts the server answered (refused or failed); an unreachable server costs none
  attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  locked_until    timestamptz,
  last_error      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  -- when it was sent, failed for good or cancelled
  finished_at     timestamptz,
  CHECK ((status = 'PENDING') = (finished_at IS NULL)),
  CHECK (status = 'PENDING' OR (text_body IS NULL AND html_body IS NULL)),
  CHECK (status <> 'PENDING' OR text_body IS NOT NULL)
);
-- What the relays poll: pending mails by when they are due.
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX mail_outbox_user ON mail_outbox (user_id) WHERE user_id IS NOT NULL;
-- What the relay purges once past retention.
CREATE INDEX mail_outbox_finished ON mail_outbox (finished_at) WHERE status <> 'PENDING';

-- migrate:down
DROP TABLE mail_outbox;
