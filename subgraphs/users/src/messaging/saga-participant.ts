import type { Logger } from '@radiata/observability';
import type { Rabbit } from '@radiata/rabbitmq';
import { type SagaParticipantOptions, sagaInboxOn, startSagaParticipant as startParticipant } from '@radiata/saga';
import { isId } from '@radiata/service-runtime';
import { z } from 'zod';
import { type OrderPoints, PointAccountNotFound } from '../domain/order-points.js';
import { MAX_ENTRY_AMOUNT } from '../domain/points.js';
import type { Database } from '../persistence/database.js';

/** The users subgraph's name in the order saga: queue `users.saga-commands`, replies `users.saga.*` on `radiata.users`. */
export const SAGA_PARTICIPANT = 'users';

const id = z.string().refine(isId, 'must be a UUID');
/** One ledger entry's worth at most: a larger order is malformed, not a reason to retry. */
const points = z.number().int().min(1).max(MAX_ENTRY_AMOUNT);
const won = z.number().int().min(0).max(MAX_ENTRY_AMOUNT);

export const useData = z.object({ userId: id, points });
export const refundData = z.object({ userId: id });
export const earnData = z.object({ userId: id, amountPaid: won });

/**
 * Answers the order saga's points commands (docs/ARCHITECTURE.md, "Order saga") with OrderPoints:
 * `use` → `used`, `refund` → `refunded`, `earn` → `earned`. Each command is applied once per
 * message (inbox) and idempotently per order, and its reply is committed with the inbox row
 * through the outbox. Malformed data, or a user without a point account, is dead-lettered.
 */
export async function startSagaParticipant(options: {
  rabbit: Rabbit;
  db: Database;
  orderPoints: OrderPoints;
  logger: Logger;
  /** The service's metrics registry (the dead-letter gauge). */
  registry?: SagaParticipantOptions<unknown>['registry'];
}): Promise<void> {
  const { db, orderPoints } = options;
  await startParticipant({
    rabbit: options.rabbit,
    logger: options.logger,
    registry: options.registry,
    participant: SAGA_PARTICIPANT,
    actions: {
      use: {
        data: useData,
        result: 'used',
        handle: ({ orderId, data }) => orderPoints.use(orderId, data.userId, data.points),
      },
      refund: {
        data: refundData,
        result: 'refunded',
        handle: ({ orderId, data }) => orderPoints.refund(orderId, data.userId),
      },
      earn: {
        data: earnData,
        result: 'earned',
        handle: ({ orderId, data }) => orderPoints.earn(orderId, data.userId, data.amountPaid),
      },
    },
    ...sagaInboxOn(db),
    isPermanent: (error) => error instanceof PointAccountNotFound,
  });
}
