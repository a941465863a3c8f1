-- migrate:up
-- Idempotent consumers (@radiata/inbox): one row per message a consumer has applied, written in
-- the transaction of its effect. A subgraph that consumes events copies this file into its own
-- db/migrations; keep every copy identical to packages/inbox/db/migrations.
CREATE TABLE inbox_messages (
  consumer    text NOT NULL, -- the queue the message came from: each consumer deduplicates on its own
  message_id  text NOT NULL, -- the AMQP messageId (the producer's outbox row id)
  received_at timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, message_id)
);

-- The retention purge.
CREATE INDEX inbox_messages_received_at ON inbox_messages (received_at);

-- migrate:down
DROP TABLE inbox_messages;
