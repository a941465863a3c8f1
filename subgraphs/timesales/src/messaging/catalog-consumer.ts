import { type EventConsumerOptions, startEventConsumer } from '@radiata/inbox';
import type { Logger } from '@radiata/observability';
import type { Rabbit } from '@radiata/rabbitmq';
import type { CatalogProjection } from '../domain/catalog/projection.js';
import { CATALOG_EXCHANGE, CATALOG_PRODUCT_ROUTING_KEYS, CATALOG_PRODUCTS_QUEUE } from './catalog-events.js';

export interface CatalogConsumerOptions {
  /** The subgraph's RabbitMQ connection (its namespace applies to the queue and the exchange). */
  readonly rabbit: Rabbit;
  readonly projection: CatalogProjection;
  readonly logger: Logger;
  /** The service's metrics registry (the dead-letter gauge). */
  readonly registry?: EventConsumerOptions['registry'];
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
    registry: options.registry,
    handle: async (event) => {
      const outcome = await projection.apply(event);
      log.debug({ messageId: event.messageId, routingKey: event.routingKey, outcome }, 'catalog event');
    },
  });
}
