import { type EventConsumerOptions, readEvent, startEventConsumer } from '@radiata/inbox';
import type { Logger } from '@radiata/observability';
import type { Rabbit } from '@radiata/rabbitmq';
import { isId } from '@radiata/service-runtime';
import { z } from 'zod';
import type { AccountHolds, HoldChange } from '../domain/account-holds.js';

/** The orders subgraph's exchange and event (its messaging/orders-events.ts). */
export const ORDERS_EXCHANGE = 'radiata.orders';
export const ORDER_STATUS_CHANGED = 'orders.order.status-changed';
/** The payments subgraph's exchange and event (its messaging/payments-events.ts). */
export const PAYMENTS_EXCHANGE = 'radiata.payments';
export const WALLET_BALANCE_CHANGED = 'payments.wallet.balance-changed';

/** The users subgraph's durable queue of what holds accounts open (orders in flight, wallet balances). */
export const ACCOUNT_HOLDS_QUEUE = 'users.account-holds';

const id = z.string().refine(isId, 'must be a UUID');
const version = z.number().int().min(0);

const schemas = {
  [ORDER_STATUS_CHANGED]: z
    .object({ orderId: id, userId: id, status: z.string().regex(/^[A-Z][A-Z_]{0,39}$/), version })
    .transform((order) => ({ kind: 'order' as const, ...order })),
  [WALLET_BALANCE_CHANGED]: z
    .object({ userId: id, balance: z.number().int().min(0), version })
    .transform((wallet) => ({ kind: 'wallet' as const, ...wallet })),
};

/** Reads one event; MalformedEvent (@radiata/inbox) for another routing key or a malformed payload. */
export const parseHoldEvent = (routingKey: string, payload: unknown): HoldChange =>
  readEvent(schemas, routingKey, payload);

/**
 * Feeds AccountHolds from the orders subgraph's order statuses and the payments subgraph's wallet
 * balances, on the durable quorum queue ACCOUNT_HOLDS_QUEUE (@radiata/inbox): deduplicated by
 * message id, newest version kept; an unreadable event is dead-lettered at once, other failures
 * retried.
 */
export async function startAccountHoldsConsumer(options: {
  rabbit: Rabbit;
  holds: AccountHolds;
  logger: Logger;
  /** The service's metrics registry (the dead-letter gauge). */
  registry?: EventConsumerOptions['registry'];
}): Promise<void> {
  const log = options.logger.child({ component: 'account-holds-consumer' });
  await startEventConsumer({
    rabbit: options.rabbit,
    queue: ACCOUNT_HOLDS_QUEUE,
    bindings: [
      { exchange: ORDERS_EXCHANGE, routingKeys: [ORDER_STATUS_CHANGED] },
      { exchange: PAYMENTS_EXCHANGE, routingKeys: [WALLET_BALANCE_CHANGED] },
    ],
    logger: options.logger,
    registry: options.registry,
    handle: async (event) => {
      const change = parseHoldEvent(event.routingKey, event.payload);
      const outcome = await options.holds.apply(ACCOUNT_HOLDS_QUEUE, event.messageId, change);
      log.debug({ messageId: event.messageId, kind: change.kind, userId: change.userId, outcome }, 'account hold');
    },
  });
}
