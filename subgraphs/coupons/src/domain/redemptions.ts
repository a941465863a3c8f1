import type { Clock } from '@radiata/service-runtime';
import { isId } from '@radiata/service-runtime';
import type { Database, Transaction } from '../persistence/database.js';
import type { CouponRecord } from './coupons.js';

export type RedemptionRefusal =
  | 'NOT_FOUND'
  | 'NOT_YOURS'
  | 'ALREADY_USED'
  | 'EXPIRED'
  | 'AMOUNT_OUT_OF_RANGE'
  /** The order's coupon use was restored (compensated) already: a late use is never applied. */
  | 'ALREADY_RELEASED';

export type RedemptionResult =
  | { readonly ok: true; readonly issueId: string; readonly couponId: string; readonly discount: number }
  | { readonly ok: false; readonly reason: RedemptionRefusal };

/**
 * A use for an order that already holds another coupon: an order uses one coupon at most, so the
 * caller is broken and no retry can help.
 */
export class OrderHasAnotherCoupon extends Error {
  override readonly name = 'OrderHasAnotherCoupon';
}

export interface RedeemRequest {
  readonly issueId: string;
  readonly userId: string;
  readonly orderId: string;
  /** The order amount the coupon applies to, in won. */
  readonly orderAmount: number;
}

/** The discount a coupon gives on an order amount: never more than the amount itself. */
export function discountFor(
  coupon: Pick<CouponRecord, 'discountType' | 'discountRate' | 'discountAmount'>,
  orderAmount: number,
): number {
  const discount =
    coupon.discountType === 'RATE'
      ? Math.floor((orderAmount * (coupon.discountRate ?? 0)) / 100)
      : (coupon.discountAmount ?? 0);
  return Math.min(discount, orderAmount);
}

export const amountInRange = (
  coupon: Pick<CouponRecord, 'minOrderAmount' | 'maxOrderAmount'>,
  orderAmount: number,
): boolean =>
  (coupon.minOrderAmount === null || orderAmount >= coupon.minOrderAmount) &&
  (coupon.maxOrderAmount === null || orderAmount <= coupon.maxOrderAmount);

/** Serializes the use and the restore of one order (see `use`). */
const lockOrder = (tx: Transaction, orderId: string) =>
  tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${orderId}, 0))`;

/**
 * Coupons at checkout, for the order saga: using an issued coupon for an order, restoring it
 * when the order is compensated, and expiring what was never used. Use and restore are
 * idempotent per order and answer the same however often they are asked: the discount is kept
 * with the use, and a restore leaves a restored_orders row (even for an order that used no
 * coupon, as its use may still be on its way) that refuses any later use of the order.
 */
export class Redemptions {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  async use(request: RedeemRequest): Promise<RedemptionResult> {
    const { issueId, orderId } = request;
    if (!isId(issueId) || !isId(orderId)) return { ok: false, reason: 'NOT_FOUND' };
    return this.db.$transaction(async (tx) => {
      // One order's use and restore take turns: a restore running alongside could otherwise miss
      // the use this commits, tombstone the order and leave the coupon USED by it for good.
      await lockOrder(tx, orderId);
      if (await tx.restoredOrder.findUnique({ where: { orderId }, select: { orderId: true } })) {
        return { ok: false, reason: 'ALREADY_RELEASED' } as const;
      }
      const locked = await tx.$queryRaw<{ id: string }[]>`
        SELECT id FROM coupon_issues WHERE id = ${issueId}::uuid FOR UPDATE`;
      if (locked.length === 0) return { ok: false, reason: 'NOT_FOUND' } as const;
      const issue = await tx.couponIssue.findUniqueOrThrow({ where: { id: issueId }, include: { coupon: true } });
      if (issue.userId !== request.userId) return { ok: false, reason: 'NOT_YOURS' } as const;
      if (issue.status === 'USED') {
        if (issue.orderId !== orderId) return { ok: false, reason: 'ALREADY_USED' } as const;
        // The same order asking again gets the answer it was given, whatever the coupon says now.
        if (issue.discount === null) throw new Error(`USED coupon issue ${issue.id} has no discount`);
        return { ok: true, issueId: issue.id, couponId: issue.couponId, discount: issue.discount } as const;
      }
      const now = this.clock.now();
      if (issue.status === 'EXPIRED' || issue.expiresAt <= now) return { ok: false, reason: 'EXPIRED' } as const;
      if (!amountInRange(issue.coupon, request.orderAmount)) {
        return { ok: false, reason: 'AMOUNT_OUT_OF_RANGE' } as const;
      }
      const held = await tx.couponIssue.findFirst({ where: { orderId }, select: { id: true } });
      if (held) throw new OrderHasAnotherCoupon(`order ${orderId} already uses coupon issue ${held.id}`);
      const discount = discountFor(issue.coupon, request.orderAmount);
      await tx.couponIssue.update({
        where: { id: issue.id },
        data: { status: 'USED', orderId, usedAt: now, discount },
      });
      return { ok: true, issueId: issue.id, couponId: issue.couponId, discount } as const;
    });
  }

  /**
   * Gives back the coupon an order used (EXPIRED if it expired meanwhile) and refuses any later
   * use of the order. Resolves whether the order held a coupon to give back: the same answer
   * every time it is asked.
   */
  async restore(orderId: string): Promise<boolean> {
    if (!isId(orderId)) throw new TypeError('orderId must be a UUID');
    return this.db.$transaction(async (tx) => {
      await lockOrder(tx, orderId);
      const earlier = await tx.restoredOrder.findUnique({ where: { orderId } });
      if (earlier) return earlier.issueId !== null;
      const now = this.clock.now();
      const restored = await tx.$queryRaw<{ id: string }[]>`
        UPDATE coupon_issues
        SET status = CASE WHEN expires_at <= ${now} THEN 'EXPIRED'::coupon_issue_status ELSE 'ISSUED'::coupon_issue_status END,
            order_id = NULL, used_at = NULL, discount = NULL
        WHERE order_id = ${orderId}::uuid AND status = 'USED'
        RETURNING id::text`;
      await tx.restoredOrder.create({ data: { orderId, issueId: restored[0]?.id ?? null, restoredAt: now } });
      return restored.length > 0;
    });
  }

  /** ISSUED coupons past their expiry become EXPIRED; returns how many. */
  async expire(): Promise<number> {
    return this.db.$executeRaw`
      UPDATE coupon_issues SET status = 'EXPIRED'
      WHERE status = 'ISSUED' AND expires_at <= ${this.clock.now()}`;
  }
}
