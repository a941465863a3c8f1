-- migrate:up
-- The inbox becomes @radiata/inbox's (packages/inbox/db/migrations/20261130000000_inbox.sql): one
-- row per (consumer, message), so each consumer deduplicates on its own. The table is rebuilt in
-- exactly that shape (same columns in the same order, primary key and index); the rows the catalog
-- products consumer had written are kept under its queue name. Writers wait for the lock, so no row
-- committed meanwhile is lost.
LOCK TABLE inbox_messages IN EXCLUSIVE MODE;

CREATE TABLE inbox_messages_next (
  consumer    text NOT NULL, -- the queue the message came from: each consumer deduplicates on its own
  message_id  text NOT NULL, -- the AMQP messageId (the producer's outbox row id)
  received_at timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, message_id)
);

INSERT INTO inbox_messages_next (consumer, message_id, received_at)
SELECT 'timesales.catalog-products', message_id, received_at FROM inbox_messages;

DROP TABLE inbox_messages;
ALTER TABLE inbox_messages_next RENAME TO inbox_messages;
ALTER INDEX inbox_messages_next_pkey RENAME TO inbox_messages_pkey;

-- The retention purge.
CREATE INDEX inbox_messages_received_at ON inbox_messages (received_at);

-- migrate:down
LOCK TABLE inbox_messages IN EXCLUSIVE MODE;

CREATE TABLE inbox_messages_previous (
  message_id  text PRIMARY KEY,
  received_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO inbox_messages_previous (message_id, received_at)
SELECT message_id, min(received_at) FROM inbox_messages
WHERE consumer = 'timesales.catalog-products'
GROUP BY message_id;

DROP TABLE inbox_messages;
ALTER TABLE inbox_messages_previous RENAME TO inbox_messages;
ALTER INDEX inbox_messages_previous_pkey RENAME TO inbox_messages_pkey;
