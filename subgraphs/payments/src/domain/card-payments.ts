import type { Logger } from '@radiata/observability';
import type { Clock } from '@radiata/service-runtime';
import type { Payment } from '../generated/prisma/client.js';
import type { PaymentEvents } from '../messaging/payments-events.js';
import type { Database } from '../persistence/database.js';
import type { ConfirmResult, PaymentProvider } from '../provider/payment-provider.js';
import { cancellationRefundKey, confirmKeyOf, lockPayableOrder, lockPayment } from './records.js';
import type { RefundRecord, Refunds } from './refunds.js';
import { postToWallet } from './wallet-ledger.js';

export interface CardPaymentSettings {
  /** How long a payment left PENDING waits before reconciliation asks the provider again. */
  readonly reconcileAfterMs: number;
}

/**
 * Money taken through the provider: an order paid by card, or a wallet top-up. The payment is
 * committed PENDING before the provider is asked, so a crash at any later instant leaves a record
 * that reconciliation finishes; the provider is always asked under the idempotency key derived
 * from the payment, so asking again never charges twice.
 */
export class CardPayments {
  constructor(
    private readonly db: Database,
    private readonly provider: PaymentProvider,
    private readonly refunds: Refunds,
    private readonly events: PaymentEvents,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly settings: CardPaymentSettings,
  ) {}

  /** Confirms a PENDING card payment at the provider and records the outcome; the payment as it then stands. */
  async confirm(payment: Payment): Promise<Payment> {
    if (payment.status !== 'PENDING' || !payment.paymentKey || !payment.providerOrderId) return payment;
    const result = await this.provider.confirm({
      paymentKey: payment.paymentKey,
      orderId: payment.providerOrderId,
      amount: payment.amount,
      idempotencyKey: confirmKeyOf(payment.id),
    });
    return this.settle(payment.id, result);
  }

  /**
   * Records what the provider said about a PENDING payment:
   * - approved: APPROVED (a top-up credits the wallet; an order payment publishes
   *   payments.payment.approved); if the order was cancelled meanwhile, it is refunded at once;
   * - failed: FAILED with the provider's code (an order payment publishes payments.payment.failed);
   * - unknown: still PENDING; reconciliation asks again after RECONCILE_AFTER_MS.
   * A payment already settled is left as it is; one given up as FAILED that the provider did
   * charge after all is voided at the provider, so no money is kept that no payment explains.
   */
  async settle(paymentId: string, result: ConfirmResult): Promise<Payment> {
    const now = this.clock.now();
    if (result.outcome === 'unknown') {
      this.logger.warn({ paymentId, reason: result.reason }, 'payment outcome unknown: reconciliation asks again');
      await this.db.payment.updateMany({
        where: { id: paymentId, status: 'PENDING' },
        data: { nextCheckAt: new Date(now.getTime() + this.settings.reconcileAfterMs) },
      });
      return this.db.payment.findUniqueOrThrow({ where: { id: paymentId } });
    }
    let refund: RefundRecord | null = null;
    let lateCharge = false;
    const settled = await this.db.$transaction(async (tx) => {
      const { orderId } = await tx.payment.findUniqueOrThrow({ where: { id: paymentId }, select: { orderId: true } });
      const order = orderId ? await lockPayableOrder(tx, orderId) : null;
      const payment = await lockPayment(tx, paymentId);
      if (!payment) throw new Error(`payment ${paymentId} vanished`);
      if (payment.status !== 'PENDING') {
        lateCharge = result.outcome === 'approved' && payment.status === 'FAILED';
        return payment;
      }
      if (result.outcome === 'failed') {
        const failed = await tx.payment.update({
          where: { id: paymentId },
          data: { status: 'FAILED', failureCode: result.code, failureMessage: result.message, nextCheckAt: null },
        });
        await this.events.failed(tx, failed);
        return failed;
      }
      if (result.payment.totalAmount !== payment.amount) {
        this.logger.error(
          { paymentId, charged: result.payment.totalAmount, amount: payment.amount },
          'the provider charged another amount than the payment’s',
        );
      }
      const approved = await tx.payment.update({
        where: { id: paymentId },
        data: { status: 'APPROVED', approvedAt: result.payment.approvedAt ?? now, nextCheckAt: null },
      });
      if (approved.purpose === 'TOP_UP') {
        await postToWallet(tx, {
          userId: approved.userId,
          type: 'TOP_UP',
          amount: approved.amount,
          paymentId,
          at: now,
        });
        return approved;
      }
      await this.events.approved(tx, approved);
      if (order?.status === 'CANCELLED') {
        refund = await this.refunds.record(tx, {
          requestKey: cancellationRefundKey(order.orderId),
          paymentId,
          reason: 'The order was cancelled while it was being paid',
          requestedBy: null,
        });
      }
      return approved;
    });
    if (lateCharge && result.outcome === 'approved') await this.voidLateCharge(settled, result.payment.balanceAmount);
    const due = refund as RefundRecord | null;
    if (due?.status === 'PENDING') await this.refunds.execute(due.id);
    return due ? this.db.payment.findUniqueOrThrow({ where: { id: paymentId } }) : settled;
  }

  private async voidLateCharge(payment: Payment, amount: number): Promise<void> {
    if (!payment.paymentKey || amount <= 0) return;
    this.logger.error({ paymentId: payment.id, amount }, 'a payment given up as FAILED was charged: voiding it');
    const result = await this.provider.cancel({
      paymentKey: payment.paymentKey,
      amount,
      reason: 'Charged after the payment was given up',
      idempotencyKey: `radiata-void-${payment.id}`,
    });
    if (result.outcome !== 'canceled') {
      this.logger.error({ paymentId: payment.id, result }, 'voiding a late charge failed: an operator must refund it');
    }
  }
}
