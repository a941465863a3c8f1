-- migrate:up
-- Every move of a wallet's balance bumps its version and publishes payments.wallet.balance-changed
-- (userId, balance, version) in its transaction (wallet-ledger.ts moveBalance): a consumer keeps the
-- balance of the highest version, whatever order the events arrive in (the users subgraph: money in
-- the wallet holds an account open). closed_at: the account was deleted (users.user.deleted); what a
-- closed wallet still holds is owed to its former owner (radiata_closed_wallets_balance_won).
ALTER TABLE wallets
  ADD COLUMN version   integer NOT NULL DEFAULT 0 CHECK (version >= 0),
  ADD COLUMN closed_at timestamptz(3);
CREATE INDEX wallets_closed_holding ON wallets (user_id) WHERE closed_at IS NOT NULL AND balance > 0;

-- Wallets holding money before the event existed are announced once.
INSERT INTO outbox_messages (id, exchange, routing_key, payload)
SELECT gen_random_uuid(), 'radiata.payments', 'payments.wallet.balance-changed',
       jsonb_build_object('userId', user_id, 'balance', balance, 'version', version,
                          'occurredAt', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
FROM wallets
WHERE balance > 0;

-- migrate:down
DROP INDEX wallets_closed_holding;
ALTER TABLE wallets DROP COLUMN version, DROP COLUMN closed_at;
