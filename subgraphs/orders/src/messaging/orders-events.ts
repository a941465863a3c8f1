import { CORRELATION_HEADER, type OutboxEvent } from '@radiata/outbox';
import type { Order } from '../generated/prisma/client.js';

/**
 * The topic exchange orders publishes to: its saga commands (`orders.saga.<participant>.<action>`)
 * and its events (`orders.order.awaiting-payment`, `orders.order.cancelled`,
 * `orders.order.status-changed`), all through the outbox in the transaction of the decision that
 * sends them (SagaStore).
 */
export const ORDERS_EXCHANGE = 'radiata.orders';

/** An order's status changed (placed, a saga step, shipping): its status and version after it. */
export const ORDER_STATUS_CHANGED = 'orders.order.status-changed';

/**
 * The payload of `orders.order.status-changed`. `version` is the order row's, which grows with
 * every change under the row's lock: a consumer keeps the status of the highest version it has
 * heard, whatever order the events arrive in (the users subgraph: orders in flight hold an account
 * open).
 */
export interface OrderStatusChanged {
  readonly orderId: string;
  readonly userId: string;
  readonly status: string;
  readonly version: number;
  readonly occurredAt: string;
}

/**
 * The outbox row of `orders.order.status-changed` for an order as written (its new status and
 * version), correlated with the order like every message of its saga.
 */
export function orderStatusChanged(order: Pick<Order, 'id' | 'userId' | 'status' | 'version'>, at: Date): OutboxEvent {
  const payload: OrderStatusChanged = {
    orderId: order.id,
    userId: order.userId,
    status: order.status,
    version: order.version,
    occurredAt: at.toISOString(),
  };
  return {
    exchange: ORDERS_EXCHANGE,
    routingKey: ORDER_STATUS_CHANGED,
    payload: { ...payload },
    headers: { [CORRELATION_HEADER]: order.id },
  };
}
