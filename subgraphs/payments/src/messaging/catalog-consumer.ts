import { type EventConsumerOptions, readEvent, startEventConsumer } from '@radiata/inbox';
import type { Logger } from '@radiata/observability';
import type { Rabbit } from '@radiata/rabbitmq';
import { isId } from '@radiata/service-runtime';
import { z } from 'zod';
import type { CatalogChange, CatalogReplica } from '../domain/catalog-replica.js';

/** The catalog subgraph's exchange and the events payments takes from it (docs/ARCHITECTURE.md, "Settlement"). */
export const CATALOG_EXCHANGE = 'radiata.catalog';
export const BRAND_CHANGED = 'catalog.brand.changed';
export const GRADE_CHANGED = 'catalog.grade.changed';

/** Payments' durable queue of the catalog's brand and grade events. */
export const CATALOG_QUEUE = 'payments.catalog';

const id = z.string().refine(isId, 'must be a UUID');
const version = z.number().int().positive();
const grade = z.string().regex(/^[A-Z][A-Z0-9_]{1,19}$/);

const schemas = {
  [BRAND_CHANGED]: z
    .object({ brandId: id, ownerId: id, name: z.string().min(1), grade, deleted: z.boolean(), version })
    .transform((brand) => ({ kind: 'brand' as const, ...brand })),
  [GRADE_CHANGED]: z
    .object({ grade, name: z.string().min(1), feeRateBasisPoints: z.number().int().min(0).max(10_000), version })
    .transform((change) => ({ kind: 'grade' as const, ...change })),
};

/**
 * Feeds the replica of the catalog's brands and grades from the durable quorum queue CATALOG_QUEUE
 * (@radiata/inbox). A malformed event is dead-lettered at once; anything else is retried.
 */
export async function startCatalogConsumer(options: {
  rabbit: Rabbit;
  replica: CatalogReplica;
  logger: Logger;
  registry?: EventConsumerOptions['registry'];
}): Promise<void> {
  const log = options.logger.child({ component: 'catalog-consumer' });
  await startEventConsumer({
    rabbit: options.rabbit,
    queue: CATALOG_QUEUE,
    bindings: [{ exchange: CATALOG_EXCHANGE, routingKeys: [BRAND_CHANGED, GRADE_CHANGED] }],
    logger: options.logger,
    registry: options.registry,
    handle: async (event) => {
      const change: CatalogChange = readEvent(schemas, event.routingKey, event.payload);
      const outcome = await options.replica.apply(CATALOG_QUEUE, event.messageId, change);
      log.debug({ messageId: event.messageId, routingKey: event.routingKey, outcome }, 'catalog event');
    },
  });
}
