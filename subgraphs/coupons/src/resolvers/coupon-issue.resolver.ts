import { notFound } from '@radiata/errors';
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { CouponsContext } from '../context.js';
import type { CouponRecord } from '../domain/coupons.js';
import type { CouponIssueRecord } from '../domain/issues.js';
import { CouponIssue } from '../schema/coupon-issue.js';

@Resolver(() => CouponIssue)
export class CouponIssueResolver {
  @FieldResolver()
  async coupon(@Root() issue: CouponIssueRecord, @Ctx() context: CouponsContext): Promise<CouponRecord> {
    // Issued coupons stay usable when the coupon is deleted later: the loader keeps deleted ones.
    const coupon = await context.loaders.couponById.load(issue.couponId);
    if (!coupon) throw notFound('Coupon');
    return coupon;
  }
}
