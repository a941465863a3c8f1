import { pruneInbox, startEventConsumer } from '@radiata/inbox';
import type { Logger } from '@radiata/observability';
import type { Rabbit } from '@radiata/rabbitmq';
import type { Clock } from '@radiata/service-runtime';
import type { CatalogProjection } from '../domain/catalog/projection.js';
import type { Database } from '../persistence/database.js';
import {
  CATALOG_EXCHANGE,
  CATALOG_PRODUCT_ROUTING_KEYS,
  CATALOG_PRODUCTS_QUEUE,
  InvalidCatalogEvent,
} from './catalog-events.js';

/** How long an inbox row is kept: far longer than any redelivery (the outbox republishes for minutes). */
export const INBOX_RETENTION_MS = 7 * 24 * 3_600_000;

/** How often the inbox is pruned. */
export const INBOX_PRUNE_INTERVAL_MS = 3_600_000;

export interface CatalogConsumerOptions {
  /** The subgraph's RabbitMQ connection (its namespace applies to the queue and the exchange). */
  readonly rabbit: Rabbit;
  readonly projection: CatalogProjection;
  readonly logger: Logger;
}

/**
 * Feeds the products projection from the catalog's events, on the durable quorum queue
 * CATALOG_PRODUCTS_QUEUE (@radiata/inbox). Delivery is at least once and in no particular order:
 * the projection deduplicates by message id (inbox row in its transaction) and keeps the newest
 * version of each group of fields. An event that cannot be read (no messageId, not JSON, an
 * unknown routing key or a malformed payload) is dead-lettered at once (`<queue>.dead-letter`);
 * any other failure (the database is down) is retried with a growing delay, then dead-lettered.
 */
export async function startCatalogConsumer(options: CatalogConsumerOptions): Promise<void> {
  const { projection } = options;
  const log = options.logger.child({ component: 'catalog-consumer' });
  await startEventConsumer({
    rabbit: options.rabbit,
    queue: CATALOG_PRODUCTS_QUEUE,
    bindings: [{ exchange: CATALOG_EXCHANGE, routingKeys: CATALOG_PRODUCT_ROUTING_KEYS }],
    logger: options.logger,
    isPermanent: (error) => error instanceof InvalidCatalogEvent,
    handle: async (event) => {
      const outcome = await projection.apply(event);
      log.debug({ messageId: event.messageId, routingKey: event.routingKey, outcome }, 'catalog event');
    },
  });
}

/** Deletes inbox rows received more than INBOX_RETENTION_MS before the clock's now; returns how many. */
export function pruneCatalogInbox(db: Database, clock: Clock): Promise<number> {
  return pruneInbox(
    (sql, values) => db.$executeRawUnsafe(sql, ...values),
    new Date(clock.now().getTime() - INBOX_RETENTION_MS),
  );
}
