import { receiveOnce } from '@radiata/inbox';
import type { Logger } from '@radiata/observability';
import type { Database, Transaction } from '../persistence/database.js';
import { cancellationRefundKey, lockPayableOrder, REFUNDABLE_STATUSES } from './records.js';
import type { RefundRecord, Refunds } from './refunds.js';

/** orders.order.awaiting-payment */
export interface OrderAwaitingPayment {
  readonly kind: 'awaiting-payment';
  readonly orderId: string;
  readonly userId: string;
  readonly amount: number;
  /** Won per brand id, summing to amount (the weekly settlement splits by it). */
  readonly amountsByBrand: Readonly<Record<string, number>>;
}

/** orders.order.cancelled */
export interface OrderCancelled {
  readonly kind: 'cancelled';
  readonly orderId: string;
  readonly reason: string;
}

/** orders.payment.refund-requested: the saga's refund command. */
export interface RefundRequested {
  readonly kind: 'refund-requested';
  readonly refundId: string;
  readonly orderId: string;
  /** Won to give back; all that is left when absent. */
  readonly amount?: number;
  readonly reason: string;
}

export type OrdersMessage = OrderAwaitingPayment | OrderCancelled | RefundRequested;

/** The refund command names an order with no payment to refund: it can never be applied. */
export class NothingToRefund extends Error {
  override readonly name = 'NothingToRefund';
}

/** The refund command's order has a payment still in flight: retried until it settles. */
export class PaymentStillPending extends Error {
  override readonly name = 'PaymentStillPending';
}

export type OrdersMessageOutcome = 'applied' | 'duplicate';

/**
 * What payments knows of orders, from the orders subgraph's messages (each applied once, in the
 * transaction of its effect: @radiata/inbox): which orders await payment, for how much and whose;
 * which were cancelled (refunding whatever was paid for them); and refund commands.
 */
export class PayableOrders {
  constructor(
    private readonly db: Database,
    private readonly refunds: Refunds,
    private readonly logger: Logger,
  ) {}

  async apply(consumer: string, messageId: string, message: OrdersMessage): Promise<OrdersMessageOutcome> {
    let refund: RefundRecord | null = null;
    const applied = await this.db.$transaction(async (tx) => {
      const execute = (sql: string, values: unknown[]) => tx.$executeRawUnsafe(sql, ...values);
      if (!(await receiveOnce(execute, consumer, messageId))) return false;
      switch (message.kind) {
        case 'awaiting-payment':
          await this.awaitPayment(tx, message);
          break;
        case 'cancelled':
          refund = await this.cancel(tx, message);
          break;
        case 'refund-requested':
          refund = await this.requestRefund(tx, message);
          break;
      }
      return true;
    });
    const due = refund as RefundRecord | null;
    if (due?.status === 'PENDING') await this.refunds.execute(due.id);
    return applied ? 'applied' : 'duplicate';
  }

  /** The first announcement wins; one for an order already cancelled is ignored. */
  private async awaitPayment(tx: Transaction, message: OrderAwaitingPayment): Promise<void> {
    await tx.$executeRaw`
      INSERT INTO payable_orders (order_id, user_id, amount, amounts_by_brand, status)
      VALUES (${message.orderId}::uuid, ${message.userId}::uuid, ${message.amount},
              ${JSON.stringify(message.amountsByBrand)}::jsonb, 'AWAITING_PAYMENT')
      ON CONFLICT (order_id) DO NOTHING`;
  }

  /** Marks the order CANCELLED (a tombstone if it was never announced) and refunds all that was paid for it. */
  private async cancel(tx: Transaction, message: OrderCancelled): Promise<RefundRecord | null> {
    const order = await lockPayableOrder(tx, message.orderId);
    if (!order) {
      await tx.payableOrder.create({
        data: { orderId: message.orderId, status: 'CANCELLED', cancelReason: message.reason },
      });
      return null;
    }
    if (order.status === 'AWAITING_PAYMENT') {
      await tx.payableOrder.update({
        where: { orderId: order.orderId },
        data: { status: 'CANCELLED', cancelReason: message.reason },
      });
    }
    // A payment still PENDING is refunded when it settles (CardPayments.settle sees the cancellation).
    const paid = await tx.payment.findFirst({
      where: { orderId: order.orderId, status: { in: [...REFUNDABLE_STATUSES] } },
    });
    if (!paid) return null;
    this.logger.info({ orderId: order.orderId, paymentId: paid.id }, 'order cancelled after payment: refunding');
    return this.refunds.record(tx, {
      requestKey: cancellationRefundKey(order.orderId),
      paymentId: paid.id,
      reason: `The order was cancelled: ${message.reason}`.slice(0, 200),
      requestedBy: null,
    });
  }

  private async requestRefund(tx: Transaction, message: RefundRequested): Promise<RefundRecord | null> {
    const payment = await tx.payment.findFirst({
      where: { orderId: message.orderId, status: { not: 'FAILED' } },
    });
    if (!payment) throw new NothingToRefund(`order ${message.orderId} has no payment`);
    if (payment.status === 'PENDING') throw new PaymentStillPending(`order ${message.orderId}'s payment is pending`);
    return this.refunds.record(tx, {
      requestKey: message.refundId,
      paymentId: payment.id,
      ...(message.amount !== undefined ? { amount: message.amount } : {}),
      reason: message.reason,
      requestedBy: null,
    });
  }
}
