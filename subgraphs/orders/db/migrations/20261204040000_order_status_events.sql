-- migrate:up
-- Every status change publishes orders.order.status-changed (orderId, userId, status, version) from
-- now on (SagaStore.record). Orders still in flight before that are announced once here, so the
-- users subgraph's projection (an account with orders in flight cannot be deleted) knows them too;
-- terminal ones hold nothing and are left out.
INSERT INTO outbox_messages (id, exchange, routing_key, payload, headers)
SELECT gen_random_uuid(), 'radiata.orders', 'orders.order.status-changed',
       jsonb_build_object('orderId', id, 'userId', user_id, 'status', status, 'version', version,
                          'occurredAt', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
       jsonb_build_object('correlation-id', id)
FROM orders
WHERE status NOT IN ('DELIVERED', 'CANCELLED', 'REFUNDED');

-- migrate:down
-- Nothing to undo: the announcements may be published already, and repeating them is harmless.
SELECT 1;
