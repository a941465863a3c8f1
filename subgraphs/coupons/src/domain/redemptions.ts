import type { Clock } from '@radiata/service-runtime';
import { isId } from '@radiata/service-runtime';
import type { Database } from '../persistence/database.js';
import type { CouponRecord } from './coupons.js';

export type RedemptionRefusal = 'NOT_FOUND' | 'NOT_YOURS' | 'ALREADY_USED' | 'EXPIRED' | 'AMOUNT_OUT_OF_RANGE';

export type RedemptionResult =
  | { readonly ok: true; readonly issueId: string; readonly discount: number }
  | { readonly ok: false; readonly reason: RedemptionRefusal };

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

/**
 * Coupons at checkout, for the order saga: using an issued coupon for an order, restoring it
 * when the order is compensated, and expiring what was never used. Each is idempotent per
 * order, so a redelivered message changes nothing.
 */
export class Redemptions {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  async use(request: RedeemRequest): Promise<RedemptionResult> {
    if (!isId(request.issueId) || !isId(request.orderId)) return { ok: false, reason: 'NOT_FOUND' };
    return this.db.$transaction(async (tx) => {
      const locked = await tx.$queryRaw<{ id: string }[]>`
        SELECT id FROM coupon_issues WHERE id = ${request.issueId}::uuid FOR UPDATE`;
      if (locked.length === 0) return { ok: false, reason: 'NOT_FOUND' } as const;
      const issue = await tx.couponIssue.findUniqueOrThrow({
        where: { id: request.issueId },
        include: { coupon: true },
      });
      if (issue.userId !== request.userId) return { ok: false, reason: 'NOT_YOURS' } as const;
      const discount = discountFor(issue.coupon, request.orderAmount);
      if (issue.status === 'USED') {
        // The same order asking again (a redelivered message) gets the same answer.
        return issue.orderId === request.orderId
          ? ({ ok: true, issueId: issue.id, discount } as const)
          : ({ ok: false, reason: 'ALREADY_USED' } as const);
      }
      const now = this.clock.now();
      if (issue.status === 'EXPIRED' || issue.expiresAt <= now) return { ok: false, reason: 'EXPIRED' } as const;
      if (!amountInRange(issue.coupon, request.orderAmount))
        return { ok: false, reason: 'AMOUNT_OUT_OF_RANGE' } as const;
      await tx.couponIssue.update({
        where: { id: issue.id },
        data: { status: 'USED', orderId: request.orderId, usedAt: now },
      });
      return { ok: true, issueId: issue.id, discount } as const;
    });
  }

  /** Gives the coupon an order used back (EXPIRED if it expired meanwhile); false when there was none. */
  async restore(orderId: string): Promise<boolean> {
    if (!isId(orderId)) return false;
    const now = this.clock.now();
    const restored = await this.db.$executeRaw`
      UPDATE coupon_issues
      SET status = CASE WHEN expires_at <= ${now} THEN 'EXPIRED'::coupon_issue_status ELSE 'ISSUED'::coupon_issue_status END,
          order_id = NULL, used_at = NULL
      WHERE order_id = ${orderId}::uuid AND status = 'USED'`;
    return restored > 0;
  }

  /** ISSUED coupons past their expiry become EXPIRED; returns how many. */
  async expire(): Promise<number> {
    return this.db.$executeRaw`
      UPDATE coupon_issues SET status = 'EXPIRED'
      WHERE status = 'ISSUED' AND expires_at <= ${this.clock.now()}`;
  }
}
