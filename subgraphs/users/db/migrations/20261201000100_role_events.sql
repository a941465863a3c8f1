-- migrate:up
-- Role changes are published (users.user.role-changed) so other subgraphs can check a reference
-- to a SELLER when it is written (the catalog: a brand's owner). role_version orders them: a
-- consumer keeps the highest version it has seen, whatever order the events arrive in.
ALTER TABLE users ADD COLUMN role_version integer NOT NULL DEFAULT 0;

-- Accounts that are not CUSTOMERs already: their current role, published once by the relay.
INSERT INTO outbox_messages (id, exchange, routing_key, payload)
SELECT gen_random_uuid(), 'radiata.users', 'users.user.role-changed',
       jsonb_build_object('userId', id, 'role', role, 'roleVersion', role_version, 'deleted', false,
                          'occurredAt', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
FROM users
WHERE role <> 'CUSTOMER' AND deleted_at IS NULL;

-- migrate:down
ALTER TABLE users DROP COLUMN role_version;
