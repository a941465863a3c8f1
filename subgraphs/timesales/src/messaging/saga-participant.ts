import type { Logger } from '@radiata/observability';
import type { Rabbit } from '@radiata/rabbitmq';
import {
  type SagaOutcome,
  type SagaParticipantOptions,
  sagaInboxOn,
  startSagaParticipant as startParticipant,
} from '@radiata/saga';
import type { Clock } from '@radiata/service-runtime';
import { z } from 'zod';
import { MAX_QUANTITY } from '../domain/sales/input-rules.js';
import type { OrderReservation, OrderReservations } from '../domain/stock/order-reservations.js';
import type { Database } from '../persistence/database.js';

/** The participant name: queue `timesales.saga-commands`, replies `timesales.saga.<result>` on `radiata.timesales`. */
export const SAGA_PARTICIPANT = 'timesales';

/** The most lines one reserve command carries. */
export const MAX_SALE_ITEMS = 50;

const id = z.guid();

/** `reserve`: the shopper and the order's sale items. */
export const reserveData = z.object({
  userId: id,
  items: z
    .array(z.object({ timeSaleId: id, productId: id, quantity: z.number().int().min(1).max(MAX_QUANTITY) }))
    .min(1)
    .max(MAX_SALE_ITEMS),
});

/** `release`: nothing besides the order. */
export const releaseData = z.object({});

export interface TimesalesSagaOptions {
  /** The subgraph's RabbitMQ connection (`events.rabbit`). */
  readonly rabbit: Rabbit;
  readonly db: Database;
  readonly reservations: OrderReservations;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The service's metrics registry (the dead-letter gauge). */
  readonly registry?: SagaParticipantOptions<unknown>['registry'];
}

const answer = (reservation: OrderReservation): SagaOutcome =>
  reservation.ok
    ? { outcome: 'DONE', data: { items: reservation.items } }
    : { outcome: 'REFUSED', reason: reservation.reason, data: reservation.item };

/**
 * Answers the order saga's sale-quantity step (docs/ARCHITECTURE.md, "Order saga") with
 * OrderReservations: `reserve` → `timesales.saga.reserved` (DONE with each item's sale product,
 * quantity and discount rate, or REFUSED with the reason and the item), `release` →
 * `timesales.saga.released` (DONE `{ released }`). Each reply is committed with the inbox row of
 * its command through the outbox; commands that cannot be read are dead-lettered.
 */
export async function startSagaParticipant(options: TimesalesSagaOptions): Promise<void> {
  const { db, reservations } = options;
  await startParticipant({
    rabbit: options.rabbit,
    logger: options.logger,
    registry: options.registry,
    clock: options.clock,
    participant: SAGA_PARTICIPANT,
    actions: {
      reserve: {
        data: reserveData,
        result: 'reserved',
        handle: async ({ orderId, data }) => answer(await reservations.reserve(orderId, data.userId, data.items)),
      },
      release: {
        data: releaseData,
        result: 'released',
        handle: async ({ orderId }) => ({ outcome: 'DONE', data: await reservations.release(orderId) }),
      },
    },
    ...sagaInboxOn(db),
  });
}
