/**
 * @radiata/outbox: the transactional outbox every subgraph publishes its domain events through.
 *
 * - Schema: a subgraph copies `db/migrations/20261125000100_outbox.sql` of this package
 *   (`outboxMigrationPath`) into its own `db/migrations` under a timestamp of its own; dbmate
 *   applies it with the subgraph's other migrations. Keep the copies identical
 *   (`readOutboxMigration()` lets a test compare).
 * - Write: `enqueue(execute, events)` inside the transaction that makes the business change, so
 *   the event rows commit (or roll back) with it.
 * - Publish: one `startOutboxRelay` per process. It wakes on NOTIFY at commit (polls as a
 *   fallback), publishes due rows with confirms and marks them published. Delivery is at least
 *   once: a crash between the confirm and the mark publishes the row again with the same
 *   messageId, which consumers deduplicate by (inbox table).
 *
 * ```ts
 * await declareTopicExchange(rabbit, 'radiata.catalog');
 * const relay = await startOutboxRelay({ databaseUrl, rabbit, logger, registry: metrics.registry });
 * await db.$transaction(async (tx) => {
 *   const product = await tx.product.update({ where: { id }, data: { price } });
 *   await enqueue((sql, values) => tx.$executeRawUnsafe(sql, ...values), [
 *     { exchange: 'radiata.catalog', routingKey: 'catalog.product.price-changed', payload: { productId: id, price } },
 *   ]);
 * });
 * // on shutdown, before rabbit.close():
 * await relay.stop();
 * ```
 */
export { type Backoff, backoff, type RetryOptions } from './backoff.js';
export { enqueue, type OutboxEvent, type SqlExecutor } from './enqueue.js';
export { type EventPublishing, type EventPublishingOptions, startEventPublishing } from './event-publishing.js';
export { declareTopicExchange } from './exchange.js';
export { outboxMigrationPath, outboxMigrationsDir, readOutboxMigration } from './migration.js';
export { CORRELATION_HEADER, type OutboxRelay, type OutboxRelayOptions, startOutboxRelay } from './relay.js';
export { OUTBOX_CHANNEL } from './store.js';
