import type { EventConsumerOptions } from '@radiata/inbox';
import type { Logger } from '@radiata/observability';
import type { Rabbit } from '@radiata/rabbitmq';
import { type SagaOutcome, sagaInboxOn, startSagaParticipant } from '@radiata/saga';
import { isId } from '@radiata/service-runtime';
import { z } from 'zod';
import type { ReserveResult, StockService } from '../domain/stock.js';
import type { Database } from '../persistence/database.js';

/**
 * The catalog's name in the order saga: it consumes `catalog.saga-commands` (bound to
 * `orders.saga.catalog.*` on `radiata.orders`) and replies `catalog.saga.<result>` on `radiata.catalog`.
 */
export const SAGA_PARTICIPANT = 'catalog';

const id = z.string().refine(isId, 'must be a UUID');

/** `reserve`: the order's items; a product named twice reserves the sum of its quantities. */
export const reserveData = z.object({
  items: z
    .array(z.object({ productId: id, quantity: z.number().int().min(1) }))
    .min(1)
    .max(50),
});

/** `release`: the order (the envelope's orderId) is all it needs. */
export const releaseData = z.object({});

const reserved = (result: ReserveResult): SagaOutcome => {
  if (result.ok) {
    const items = result.items.map(({ productId, brandId, sellerId, price, discountAmount, quantity }) => ({
      productId,
      brandId,
      sellerId,
      price,
      discountAmount,
      quantity,
    }));
    return { outcome: 'DONE', data: { items } };
  }
  if (result.reason === 'ALREADY_RELEASED') return { outcome: 'REFUSED', reason: result.reason };
  return { outcome: 'REFUSED', reason: result.reason, data: { productId: result.productId } };
};

/**
 * Answers orders' stock commands (docs/ARCHITECTURE.md, "Order saga") with StockService:
 * `reserve` → `reserved` (DONE with each product's brand, seller, price and discount as reserved,
 * or REFUSED OUT_OF_STOCK / PRODUCT_NOT_FOUND / ALREADY_RELEASED), `release` → `released`
 * (DONE `{ released }`: the products the order gave back). The service stores each decision, so
 * a resent command gets the same reply; a redelivered one is skipped by the inbox. Replies are
 * committed with the inbox row through the catalog's outbox.
 */
export async function startCatalogSagaParticipant(options: {
  rabbit: Rabbit;
  db: Database;
  stock: StockService;
  logger: Logger;
  /** The service's metrics registry (the dead-letter gauge). */
  registry?: EventConsumerOptions['registry'];
}): Promise<void> {
  const { db, stock } = options;
  await startSagaParticipant({
    rabbit: options.rabbit,
    logger: options.logger,
    registry: options.registry,
    participant: SAGA_PARTICIPANT,
    actions: {
      reserve: {
        data: reserveData,
        result: 'reserved',
        handle: async ({ orderId, data }) => reserved(await stock.reserve(orderId, data.items)),
      },
      release: {
        data: releaseData,
        result: 'released',
        handle: async ({ orderId }) => {
          const { releasedInAll } = await stock.release(orderId);
          return { outcome: 'DONE', data: { released: releasedInAll } };
        },
      },
    },
    ...sagaInboxOn(db),
  });
}
