import type { PayableOrder, Payment } from '../generated/prisma/client.js';
import type { Transaction } from '../persistence/database.js';

// Row locks, always taken in this order within a transaction: payable order, then payment, then
// wallet (postToWallet). Every path that touches more than one follows it, so none can deadlock.

/** The payable order, locked for the rest of the transaction; null when payments never heard of it. */
export async function lockPayableOrder(tx: Transaction, orderId: string): Promise<PayableOrder | null> {
  const locked = await tx.$queryRaw<{ order_id: string }[]>`
    SELECT order_id FROM payable_orders WHERE order_id = ${orderId}::uuid FOR UPDATE`;
  return locked.length === 0 ? null : tx.payableOrder.findUnique({ where: { orderId } });
}

/** The payment, locked for the rest of the transaction. */
export async function lockPayment(tx: Transaction, paymentId: string): Promise<Payment | null> {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM payments WHERE id = ${paymentId}::uuid FOR UPDATE`;
  return locked.length === 0 ? null : tx.payment.findUnique({ where: { id: paymentId } });
}

/** A payment that took money and may still give some back. */
export const REFUNDABLE_STATUSES = ['APPROVED', 'PARTIALLY_REFUNDED'] as const;

/** The idempotency key of a payment's confirm at the provider: the same on every retry and after a restart. */
export const confirmKeyOf = (paymentId: string) => `radiata-payment-${paymentId}`;

/** The idempotency key of a refund's cancel at the provider. */
export const cancelKeyOf = (refundId: string) => `radiata-refund-${refundId}`;

/** The refund an order's cancellation asks for: at most one per order, whoever sends it how often. */
export const cancellationRefundKey = (orderId: string) => `order-cancelled:${orderId}`;
