import type { Logger } from '@radiata/observability';
import type { Clock } from '@radiata/service-runtime';
import type { Database } from '../persistence/database.js';
import { type PaymentProvider, ProviderUnavailableError } from '../provider/payment-provider.js';
import type { CardPayments } from './card-payments.js';
import type { Refunds } from './refunds.js';

export interface ReconcileSettings {
  /** How long a claimed payment or refund is left alone before another run (or replica) may take it again. */
  readonly reconcileAfterMs: number;
  /** Payments and refunds taken per run. */
  readonly batchSize?: number;
}

export interface ReconcileReport {
  readonly payments: number;
  readonly refunds: number;
}

/**
 * Finishes what a crash, a timeout or a provider outage left PENDING, by asking the provider
 * again under the same idempotency keys:
 * - a payment whose order is still payable is confirmed again (the provider answers the first
 *   confirm if it made one, else makes it now): APPROVED or FAILED;
 * - a payment whose order was cancelled meanwhile is looked up: charged → APPROVED then refunded
 *   at once; not charged → FAILED (ORDER_CANCELLED);
 * - a refund is cancelled again at the provider: DONE or FAILED.
 * Each run claims due rows with SKIP LOCKED and pushes their next check out, so replicas share
 * the work and a run that dies leaves the rows to a later one.
 */
export class Reconciler {
  private readonly batchSize: number;

  constructor(
    private readonly db: Database,
    private readonly provider: PaymentProvider,
    private readonly cards: CardPayments,
    private readonly refunds: Refunds,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly settings: ReconcileSettings,
  ) {
    this.batchSize = settings.batchSize ?? 50;
  }

  async run(): Promise<ReconcileReport> {
    const payments = await this.claim('payments');
    for (const id of payments) await this.reconcilePayment(id);
    const refunds = await this.claim('refunds');
    for (const id of refunds) await this.reconcileRefund(id);
    if (payments.length + refunds.length > 0) {
      this.logger.info(
        { payments: payments.length, refunds: refunds.length },
        'reconciled pending payments and refunds',
      );
    }
    return { payments: payments.length, refunds: refunds.length };
  }

  private async claim(table: 'payments' | 'refunds'): Promise<string[]> {
    const now = this.clock.now();
    const next = new Date(now.getTime() + this.settings.reconcileAfterMs);
    // The table name is one of two literals, never input.
    const rows = await this.db.$queryRawUnsafe<{ id: string }[]>(
      `UPDATE ${table} SET next_check_at = $1
       WHERE id IN (SELECT id FROM ${table} WHERE status = 'PENDING' AND next_check_at <= $2
                    ORDER BY next_check_at LIMIT $3 FOR UPDATE SKIP LOCKED)
       RETURNING id`,
      next,
      now,
      this.batchSize,
    );
    return rows.map((row) => row.id);
  }

  private async reconcilePayment(paymentId: string): Promise<void> {
    try {
      const payment = await this.db.payment.findUniqueOrThrow({ where: { id: paymentId }, include: { order: true } });
      if (payment.status !== 'PENDING' || !payment.paymentKey) return;
      if (payment.order?.status !== 'CANCELLED') {
        await this.cards.confirm(payment);
        return;
      }
      const found = await this.provider.lookUp(payment.paymentKey);
      await this.cards.settle(
        paymentId,
        found?.charged
          ? { outcome: 'approved', payment: found }
          : {
              outcome: 'failed',
              code: 'ORDER_CANCELLED',
              message: 'The order was cancelled before the payment was confirmed',
            },
      );
    } catch (error) {
      this.logUnfinished(error, { paymentId });
    }
  }

  private async reconcileRefund(refundId: string): Promise<void> {
    try {
      await this.refunds.execute(refundId);
    } catch (error) {
      this.logUnfinished(error, { refundId });
    }
  }

  private logUnfinished(error: unknown, ids: Record<string, string>): void {
    if (error instanceof ProviderUnavailableError)
      this.logger.warn({ ...ids, err: error }, 'provider unavailable: retried later');
    else this.logger.error({ ...ids, err: error }, 'reconciliation failed: retried later');
  }
}
