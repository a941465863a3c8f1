import type { EventConsumerOptions } from '@radiata/inbox';
import type { Logger } from '@radiata/observability';
import type { Rabbit } from '@radiata/rabbitmq';
import { commandQueueOf, type SagaOutcome, sagaInboxOn, startSagaParticipant } from '@radiata/saga';
import { type Clock, isId } from '@radiata/service-runtime';
import { z } from 'zod';
import { OrderHasAnotherCoupon, type Redemptions } from '../domain/redemptions.js';
import type { Database } from '../persistence/database.js';

/** The coupons subgraph's name in the order saga (docs/ARCHITECTURE.md, "Order saga"). */
export const SAGA_PARTICIPANT = 'coupons';
/** The durable quorum queue of the saga's commands to coupons, also its consumer name in the inbox. */
export const SAGA_COMMANDS_QUEUE = commandQueueOf(SAGA_PARTICIPANT);

const id = z.string().refine(isId, 'must be a UUID');
// Won, as PostgreSQL's integer holds it (the discount is stored, and never exceeds the amount).
const won = z
  .number()
  .int()
  .min(0)
  .max(2 ** 31 - 1);

export const useCommandData = z.object({ userId: id, issueId: id, orderAmount: won });

/** `use` → `used`: the coupon issue's discount, or COUPON_NOT_USABLE with the refusal (ALREADY_RELEASED once restored). */
async function use(redemptions: Redemptions, orderId: string, data: z.infer<typeof useCommandData>) {
  const used = await redemptions.use({ orderId, ...data });
  if (used.ok) {
    return {
      outcome: 'DONE',
      data: { issueId: used.issueId, couponId: used.couponId, discount: used.discount },
    } as const;
  }
  const reason = used.reason === 'ALREADY_RELEASED' ? 'ALREADY_RELEASED' : 'COUPON_NOT_USABLE';
  return { outcome: 'REFUSED', reason, data: { refusal: used.reason } } as const;
}

/**
 * Answers the order saga's coupon commands (`orders.saga.coupons.use` / `.restore`) on
 * SAGA_COMMANDS_QUEUE with the idempotent Redemptions, replying through the coupons outbox
 * (`coupons.saga.used` / `.restored` on `radiata.coupons`) in the transaction of the inbox row.
 * Malformed commands, and a use for an order that already holds another coupon, are dead-lettered.
 */
export async function startCouponsSagaParticipant(options: {
  rabbit: Rabbit;
  db: Database;
  redemptions: Redemptions;
  logger: Logger;
  /** The service's metrics registry (the dead-letter gauge). */
  registry?: EventConsumerOptions['registry'];
  /** Stamps the replies' occurredAt. */
  clock?: Clock;
}): Promise<void> {
  const { db, redemptions } = options;
  await startSagaParticipant({
    rabbit: options.rabbit,
    logger: options.logger,
    registry: options.registry,
    clock: options.clock,
    participant: SAGA_PARTICIPANT,
    actions: {
      use: {
        data: useCommandData,
        result: 'used',
        handle: ({ orderId, data }): Promise<SagaOutcome> => use(redemptions, orderId, data),
      },
      restore: {
        data: z.object({}),
        result: 'restored',
        handle: async ({ orderId }): Promise<SagaOutcome> => ({
          outcome: 'DONE',
          data: { restored: await redemptions.restore(orderId) },
        }),
      },
    },
    isPermanent: (error) => error instanceof OrderHasAnotherCoupon,
    ...sagaInboxOn(db),
  });
}
