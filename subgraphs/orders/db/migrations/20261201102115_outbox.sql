-- migrate:up
-- Transactional outbox (@radiata/outbox). Each subgraph copies this file into its own
-- db/migrations; keep every copy identical to packages/outbox/db/migrations.
CREATE TABLE outbox_messages (
  id           uuid PRIMARY KEY, -- the AMQP messageId consumers deduplicate by
  exchange     text NOT NULL,
  routing_key  text NOT NULL,
  payload      jsonb NOT NULL,
  headers      jsonb NOT NULL DEFAULT '{}',
  created_at   timestamptz NOT NULL DEFAULT now(),
  available_at timestamptz NOT NULL DEFAULT now(), -- next publish attempt
  attempts     integer NOT NULL DEFAULT 0,
  last_error   text,
  published_at timestamptz
);

-- The relay's scan: due pending rows, oldest first, stopping at the batch size.
CREATE INDEX outbox_messages_pending ON outbox_messages (available_at, created_at) WHERE published_at IS NULL;
-- The retention purge of published rows.
CREATE INDEX outbox_messages_published ON outbox_messages (published_at) WHERE published_at IS NOT NULL;

-- Wakes listening relays when the inserting transaction commits (notifications are delivered
-- at commit and deduplicated within a transaction, so one per committing transaction).
CREATE FUNCTION outbox_messages_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('outbox_messages', '');
  RETURN NULL;
END;
$$;

CREATE TRIGGER outbox_messages_notify
  AFTER INSERT ON outbox_messages
  FOR EACH STATEMENT EXECUTE FUNCTION outbox_messages_notify();

-- migrate:down
DROP TRIGGER outbox_messages_notify ON outbox_messages;
DROP FUNCTION outbox_messages_notify();
DROP TABLE outbox_messages;
