import { notFound } from '@radiata/errors';
import { couponState } from '../domain/coupons.js';
import { canSeeIssuesOf } from '../domain/issues.js';
import type { CouponIssueResolvers, CouponResolvers, UserResolvers } from '../generated/graphql.js';

export const Coupon: CouponResolvers = {
  __resolveReference: (reference, context) => context.loaders.couponById.load(reference.id),
  claimedQuantity: (coupon, _args, context) => context.loaders.claimedByCouponId.load(coupon.id),
  remainingQuantity: async (coupon, _args, context) =>
    coupon.totalQuantity === null
      ? null
      : Math.max(0, coupon.totalQuantity - (await context.loaders.claimedByCouponId.load(coupon.id))),
  state: (coupon, _args, context) => couponState(coupon, context.clock.now()),
};

export const CouponIssue: CouponIssueResolvers = {
  coupon: async (issue, _args, context) => {
    // Issued coupons stay usable when the coupon is deleted later: no deletedAt filter here.
    const coupon = await context.loaders.couponById.load(issue.couponId);
    if (!coupon) throw notFound('Coupon');
    return coupon;
  },
};

export const User: UserResolvers = {
  __resolveReference: (reference) => ({ id: reference.id }),
  coupons: (user, args, context) =>
    canSeeIssuesOf(context.viewer, user.id) ? context.issues.ofUser(user.id, args) : null,
};
