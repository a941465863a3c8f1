/**
 * @radiata/inbox: idempotent consumers of the domain events other subgraphs publish through
 * @radiata/outbox.
 *
 * - Schema: a consuming subgraph copies `db/migrations/20261130000000_inbox.sql`
 *   (`inboxMigrationPath`) into its own db/migrations.
 * - Apply once: `receiveOnce(execute, consumer, messageId)` inside the transaction of the effect;
 *   false means a duplicate whose effect is already committed.
 * - Consume: `startEventConsumer` on the service's RabbitMQ connection: a durable quorum queue bound
 *   to the producers' exchanges, bounded retries, a dead-letter queue (its depth in the
 *   `radiata_dead_letters` gauge when given the service's metrics registry).
 * - Read: `readEvent(schemas, routingKey, payload)` parses a payload with the (zod) schema of its
 *   routing key; what it cannot read throws MalformedEvent, which the consumer dead-letters at once.
 * - Operate: `countDeadLetters`, `listDeadLetters` and `replayDeadLetters` on a connection of their
 *   own (`npm run dlq:list` / `dlq:replay`).
 *
 * ```ts
 * await startEventConsumer({
 *   rabbit, logger, registry: metrics.registry, queue: 'timesales.catalog-products',
 *   bindings: [{ exchange: 'radiata.catalog', routingKeys: ['catalog.product.#'] }],
 *   handle: async (event) => {
 *     // PRODUCT_EVENTS: { 'catalog.product.created': z.object(…), … }; MalformedEvent is dead-lettered.
 *     const change = readEvent(PRODUCT_EVENTS, event.routingKey, event.payload);
 *     await db.$transaction(async (tx) => {
 *       if (!(await receiveOnce((sql, v) => tx.$executeRawUnsafe(sql, ...v), 'timesales.catalog-products', event.messageId))) return;
 *       await project(tx, change);
 *     });
 *   },
 * });
 * ```
 */
export {
  type EventBinding,
  type EventConsumerOptions,
  type InboxEvent,
  startEventConsumer,
} from './consumer.js';
export { DEAD_LETTER_GAUGE, registerDeadLetterGauge } from './dead-letter-gauge.js';
export { deadLetterQueueOf, REPLAY_HEADERS } from './dead-letter-queue.js';
export {
  type BrokerTarget,
  countDeadLetters,
  type DeadLetter,
  type DeadLetterListing,
  listDeadLetters,
  type ReplayResult,
  replayDeadLetters,
} from './dead-letters.js';
export { inboxMigrationPath, inboxMigrationsDir, readInboxMigration } from './migration.js';
export { type EventOf, type EventSchema, type EventSchemas, MalformedEvent, readEvent } from './read-event.js';
export {
  type CountingSqlExecutor,
  INBOX_PRUNE_INTERVAL_MS,
  INBOX_RETENTION_MS,
  pruneExpiredInbox,
  pruneInbox,
  receiveOnce,
} from './receive.js';
