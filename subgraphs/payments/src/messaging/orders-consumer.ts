import { type EventConsumerOptions, readEvent, startEventConsumer } from '@radiata/inbox';
import type { Logger } from '@radiata/observability';
import type { Rabbit } from '@radiata/rabbitmq';
import { isId } from '@radiata/service-runtime';
import { z } from 'zod';
import { NothingToRefund, type OrdersMessage, type PayableOrders } from '../domain/payable-orders.js';
import { RefundRefused } from '../domain/refunds.js';

/** The orders subgraph's exchange and the messages payments takes from it (docs/ARCHITECTURE.md, "Payments"). */
export const ORDERS_EXCHANGE = 'radiata.orders';
export const ORDER_AWAITING_PAYMENT = 'orders.order.awaiting-payment';
export const ORDER_CANCELLED = 'orders.order.cancelled';
export const REFUND_REQUESTED = 'orders.payment.refund-requested';

/** Payments' durable queue of orders' messages. */
export const ORDERS_QUEUE = 'payments.orders';

const id = z.string().refine(isId, 'must be a UUID');
const won = z.number().int().positive();
const reason = z.string().trim().min(1).max(200);

const schemas = {
  [ORDER_AWAITING_PAYMENT]: z
    .object({ orderId: id, userId: id, amount: won, amountsByBrand: z.record(id, z.number().int().min(0)) })
    .refine((order) => Object.values(order.amountsByBrand).reduce((sum, part) => sum + part, 0) === order.amount, {
      message: 'amountsByBrand must sum to amount',
    })
    .transform((order) => ({ kind: 'awaiting-payment' as const, ...order })),
  [ORDER_CANCELLED]: z.object({ orderId: id, reason }).transform((order) => ({ kind: 'cancelled' as const, ...order })),
  [REFUND_REQUESTED]: z
    .object({ refundId: id, orderId: id, amount: won.optional(), reason })
    .transform((command) => ({ kind: 'refund-requested' as const, ...command })),
};

/**
 * Applies the orders subgraph's messages (orders awaiting payment, cancellations, refund commands)
 * from the durable quorum queue ORDERS_QUEUE (@radiata/inbox): each once, by message id. A message
 * that can never apply (malformed, a refund of an order never paid or beyond what was paid) is
 * dead-lettered at once; anything else (a payment still pending, the database down) is retried.
 */
export async function startOrdersConsumer(options: {
  rabbit: Rabbit;
  payableOrders: PayableOrders;
  logger: Logger;
  /** The service's metrics registry (the dead-letter gauge). */
  registry?: EventConsumerOptions['registry'];
}): Promise<void> {
  const log = options.logger.child({ component: 'orders-consumer' });
  await startEventConsumer({
    rabbit: options.rabbit,
    queue: ORDERS_QUEUE,
    bindings: [{ exchange: ORDERS_EXCHANGE, routingKeys: [ORDER_AWAITING_PAYMENT, ORDER_CANCELLED, REFUND_REQUESTED] }],
    logger: options.logger,
    registry: options.registry,
    isPermanent: (error) => error instanceof NothingToRefund || error instanceof RefundRefused,
    handle: async (event) => {
      const message: OrdersMessage = readEvent(schemas, event.routingKey, event.payload);
      const outcome = await options.payableOrders.apply(ORDERS_QUEUE, event.messageId, message);
      log.debug(
        { messageId: event.messageId, kind: message.kind, orderId: message.orderId, outcome },
        'orders message',
      );
    },
  });
}
