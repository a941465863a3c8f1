import type { Viewer } from '@radiata/auth-context';
import { badUserInput, conflict, notFound } from '@radiata/errors';
import { apportion } from '@radiata/money';
import type { Logger } from '@radiata/observability';
import { type Clock, isId, isUniqueViolation, newId, requireRole, validateInput } from '@radiata/service-runtime';
import { z } from 'zod';
import { type Payment, Prisma, type Refund } from '../generated/prisma/client.js';
import type { PaymentEvents } from '../messaging/payments-events.js';
import type { Database, Transaction } from '../persistence/database.js';
import type { CancelResult, PaymentProvider } from '../provider/payment-provider.js';
import { cancelKeyOf, lockPayment, REFUNDABLE_STATUSES } from './records.js';
import { postToWallet } from './wallet-ledger.js';

export type RefundRecord = Refund;

export interface RefundRequest {
  /** Idempotency: the same key always answers with the same refund. */
  readonly requestKey: string;
  readonly paymentId: string;
  /** Won to give back; everything not yet given back when absent. */
  readonly amount?: number;
  readonly reason: string;
  readonly requestedBy: string | null;
}

export type RefundRefusal = 'NOT_FOUND' | 'NOT_REFUNDABLE' | 'EXCEEDS_REFUNDABLE' | 'KEY_REUSED';

/** A refund that cannot be made as asked: nothing was written. */
export class RefundRefused extends Error {
  override readonly name = 'RefundRefused';
  constructor(
    readonly refusal: RefundRefusal,
    message: string,
  ) {
    super(message);
  }
}

const refundPaymentInput = z.object({
  refundId: z.string().refine(isId, 'must be a UUID (choose one per refund: it makes retries safe)'),
  paymentId: z.string().refine(isId, 'must be a payment id'),
  amount: z.number().int('must be a whole number of won').positive('must be more than 0').nullish(),
  reason: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
});

export interface RefundSettings {
  /** How long a pending provider refund waits before reconciliation asks again. */
  readonly reconcileAfterMs: number;
}

/**
 * Giving money back, whole or in part, idempotently per request key; never more than was paid
 * (the payment row is locked while the refunds in flight and done are summed). Wallet refunds
 * complete in the transaction that records them; card refunds are recorded PENDING first, then
 * cancelled at the provider under an idempotency key derived from the refund, so a retry, a
 * reconciliation or a crash never gives back twice.
 */
export class Refunds {
  constructor(
    private readonly db: Database,
    private readonly provider: PaymentProvider,
    private readonly events: PaymentEvents,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly settings: RefundSettings,
  ) {}

  /** ADMIN only (the order saga refunds through its command). */
  async refundPayment(viewer: Viewer | null, input: unknown): Promise<RefundRecord> {
    const admin = requireRole(viewer, 'ADMIN');
    const { refundId, paymentId, amount, reason } = validateInput(refundPaymentInput, input);
    try {
      const refund = await this.request({
        requestKey: refundId,
        paymentId,
        ...(amount ? { amount } : {}),
        reason,
        requestedBy: admin.id,
      });
      if (!refund) throw conflict('Nothing is left to refund on this payment');
      return refund;
    } catch (error) {
      if (!(error instanceof RefundRefused)) throw error;
      switch (error.refusal) {
        case 'NOT_FOUND':
          throw notFound('Payment');
        case 'EXCEEDS_REFUNDABLE':
          throw badUserInput(error.message, [{ field: 'input.amount', message: error.message }]);
        default:
          throw conflict(error.message);
      }
    }
  }

  /** Records a refund and carries it out; null when nothing is left to give back and no amount was asked for. */
  async request(request: RefundRequest): Promise<RefundRecord | null> {
    let refund: RefundRecord | null;
    try {
      refund = await this.db.$transaction((tx) => this.record(tx, request));
    } catch (error) {
      // A concurrent request under the same key committed first.
      if (!isUniqueViolation(error)) throw error;
      refund = await this.db.refund.findUnique({ where: { requestKey: request.requestKey } });
    }
    return refund?.status === 'PENDING' ? this.execute(refund.id) : refund;
  }

  /**
   * In the caller's transaction: the refund under `request.requestKey` (the one recorded before,
   * if any). A wallet refund is DONE on return; a card refund is PENDING until `execute`.
   */
  async record(tx: Transaction, request: RefundRequest): Promise<RefundRecord | null> {
    const payment = await lockPayment(tx, request.paymentId);
    if (!payment) throw new RefundRefused('NOT_FOUND', 'No such payment');
    const earlier = await tx.refund.findUnique({ where: { requestKey: request.requestKey } });
    if (earlier) {
      if (earlier.paymentId !== payment.id) {
        throw new RefundRefused('KEY_REUSED', 'This refund id was used for another payment');
      }
      return earlier;
    }
    if (payment.purpose !== 'ORDER') throw new RefundRefused('NOT_REFUNDABLE', 'Wallet top-ups are not refunded');
    if (!(REFUNDABLE_STATUSES as readonly string[]).includes(payment.status)) {
      throw new RefundRefused('NOT_REFUNDABLE', `The payment is ${payment.status}: nothing to refund`);
    }
    const inFlightOrDone = await tx.refund.aggregate({
      where: { paymentId: payment.id, status: { in: ['PENDING', 'DONE'] } },
      _sum: { amount: true },
    });
    const left = payment.amount - (inFlightOrDone._sum.amount ?? 0);
    const amount = request.amount ?? left;
    if (amount <= 0) {
      if (request.amount === undefined) return null;
      throw new RefundRefused('EXCEEDS_REFUNDABLE', 'Nothing is left to refund on this payment');
    }
    if (amount > left) {
      throw new RefundRefused('EXCEEDS_REFUNDABLE', `At most ${left} won is left to refund on this payment`);
    }
    const now = this.clock.now();
    const refund = await tx.refund.create({
      data: {
        id: newId(),
        requestKey: request.requestKey,
        paymentId: payment.id,
        amount,
        reason: request.reason,
        status: 'PENDING',
        requestedBy: request.requestedBy,
        nextCheckAt: new Date(now.getTime() + this.settings.reconcileAfterMs),
        createdAt: now,
      },
    });
    if (payment.method === 'CARD') return refund;
    await postToWallet(tx, {
      userId: payment.userId,
      type: 'REFUND',
      amount,
      paymentId: payment.id,
      refundId: refund.id,
      at: now,
    });
    return this.complete(tx, refund, payment, now);
  }

  /** Cancels a PENDING card refund at the provider and records the outcome; the refund as it then stands. */
  async execute(refundId: string): Promise<RefundRecord> {
    const refund = await this.db.refund.findUniqueOrThrow({ where: { id: refundId }, include: { payment: true } });
    if (refund.status !== 'PENDING' || refund.payment.paymentKey === null) return refund;
    const result = await this.provider.cancel({
      paymentKey: refund.payment.paymentKey,
      amount: refund.amount,
      reason: refund.reason,
      idempotencyKey: cancelKeyOf(refund.id),
    });
    return this.settle(refund.id, result);
  }

  private async settle(refundId: string, result: CancelResult): Promise<RefundRecord> {
    const now = this.clock.now();
    if (result.outcome === 'unknown') {
      this.logger.warn({ refundId, reason: result.reason }, 'refund outcome unknown: reconciliation asks again');
      await this.db.refund.updateMany({
        where: { id: refundId, status: 'PENDING' },
        data: { nextCheckAt: new Date(now.getTime() + this.settings.reconcileAfterMs) },
      });
      return this.db.refund.findUniqueOrThrow({ where: { id: refundId } });
    }
    return this.db.$transaction(async (tx) => {
      const { paymentId } = await tx.refund.findUniqueOrThrow({ where: { id: refundId } });
      const payment = await lockPayment(tx, paymentId);
      const refund = await tx.refund.findUniqueOrThrow({ where: { id: refundId } });
      if (!payment || refund.status !== 'PENDING') return refund;
      if (result.outcome === 'canceled') return this.complete(tx, refund, payment, now);
      this.logger.error({ refundId, code: result.code }, 'the provider refused a refund: an operator must look');
      const failed = await tx.refund.update({
        where: { id: refundId },
        data: { status: 'FAILED', failureCode: result.code, failureMessage: result.message, nextCheckAt: null },
      });
      await this.events.refundEnded(tx, failed, payment);
      return failed;
    });
  }

  private async complete(tx: Transaction, refund: Refund, payment: Payment, at: Date): Promise<RefundRecord> {
    const refundedAmount = payment.refundedAmount + refund.amount;
    const updated = await tx.payment.update({
      where: { id: payment.id },
      data: { refundedAmount, status: refundedAmount === payment.amount ? 'REFUNDED' : 'PARTIALLY_REFUNDED' },
    });
    const done = await tx.refund.update({
      where: { id: refund.id },
      data: {
        status: 'DONE',
        completedAt: at,
        nextCheckAt: null,
        amountsByBrand: await refundedByBrand(tx, payment, refundedAmount),
      },
    });
    await this.events.refundEnded(tx, done, updated);
    return done;
  }

  /** A payment's refunds, oldest first. */
  ofPayment(paymentId: string): Promise<RefundRecord[]> {
    return this.db.refund.findMany({ where: { paymentId }, orderBy: { id: 'asc' } });
  }
}

/**
 * A completed refund's part of each brand of the order (the weekly settlement's refunds): the
 * split of what the payment has refunded after it less the split before it, so however many
 * partial refunds there are, a brand never gives back more than its part. Top-ups: none (null).
 */
async function refundedByBrand(
  tx: Transaction,
  payment: Payment,
  refundedAfter: number,
): Promise<Record<string, number> | typeof Prisma.DbNull> {
  const order = payment.orderId
    ? await tx.payableOrder.findUnique({ where: { orderId: payment.orderId }, select: { amountsByBrand: true } })
    : null;
  const parts = order?.amountsByBrand as Record<string, number> | null | undefined;
  if (!parts) return Prisma.DbNull;
  const before = apportion(payment.refundedAmount, parts);
  const after = apportion(refundedAfter, parts);
  return Object.fromEntries(Object.keys(after).map((brand) => [brand, (after[brand] ?? 0) - (before[brand] ?? 0)]));
}
