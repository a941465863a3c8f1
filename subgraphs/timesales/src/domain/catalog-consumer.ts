import type { Logger } from '@radiata/observability';
import { declareTopicExchange } from '@radiata/outbox';
import type { ConsumeMessage, Rabbit } from '@radiata/rabbitmq';
import { CATALOG_PRODUCT_ROUTING_KEYS, type CatalogProjection, InvalidCatalogEvent } from './catalog-projection.js';

/** The catalog's topic exchange (declared here too, so binding works whichever service starts first). */
export const CATALOG_EXCHANGE = 'radiata.catalog';

/** How long a failed message waits before it goes back to the queue (a database outage must not spin). */
const RETRY_DELAY_MS = 1_000;

export interface CatalogConsumerOptions {
  readonly rabbit: Rabbit;
  readonly projection: CatalogProjection;
  /** Durable queue bound to the catalog's product events. */
  readonly queue: string;
  readonly logger: Logger;
  readonly retryDelayMs?: number;
}

/**
 * Feeds the products projection from the catalog's events. Delivery is at least once and in no
 * particular order: the projection deduplicates by message id and keeps the newest version of
 * each group of fields. A message that cannot be read is logged and dropped (retrying it would
 * never succeed); any other failure (the database is down) puts it back after a pause.
 */
export async function startCatalogConsumer(options: CatalogConsumerOptions): Promise<void> {
  const { rabbit, projection, queue } = options;
  const log = options.logger.child({ component: 'catalog-consumer', queue });
  const retryDelayMs = options.retryDelayMs ?? RETRY_DELAY_MS;
  await declareTopicExchange(rabbit, CATALOG_EXCHANGE);
  await rabbit.onConnected(async (channel) => {
    await channel.assertQueue(queue, { durable: true });
    for (const routingKey of CATALOG_PRODUCT_ROUTING_KEYS) await channel.bindQueue(queue, CATALOG_EXCHANGE, routingKey);
  });
  await rabbit.consume(
    queue,
    async (message: ConsumeMessage) => {
      const messageId = message.properties.messageId as string | undefined;
      const routingKey = message.fields.routingKey;
      if (!messageId) {
        log.error({ routingKey }, 'dropped a catalog message without a messageId (it cannot be deduplicated)');
        return;
      }
      try {
        const payload: unknown = JSON.parse(message.content.toString('utf8'));
        const outcome = await projection.apply({ messageId, routingKey, payload });
        log.debug({ messageId, routingKey, outcome }, 'catalog event');
      } catch (error) {
        if (error instanceof SyntaxError || error instanceof InvalidCatalogEvent) {
          log.error({ err: error, messageId, routingKey }, 'dropped a catalog message that cannot be read');
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, retryDelayMs));
        throw error;
      }
    },
    { requeueOnError: true },
  );
}
