import { Arg, Ctx, ID, Mutation, Resolver, Root, Subscription } from 'type-graphql';
import type { CouponsContext } from '../context.js';
import type { ClaimResult, ClaimUpdate } from '../domain/claims.js';
import { ClaimCouponResult, CouponClaimUpdate } from '../schema/claim.js';

@Resolver(() => ClaimCouponResult)
export class ClaimResolver {
  @Mutation(() => ClaimCouponResult, {
    description:
      'Signed-in users (UNAUTHENTICATED otherwise). Answers at once, finally: see ClaimOutcome. One coupon per shopper.',
  })
  claimCoupon(
    @Arg('couponId', () => ID, { description: 'The coupon to claim.' }) couponId: string,
    @Ctx() context: CouponsContext,
  ): Promise<ClaimResult> {
    return context.claims.claim(context.viewer, couponId);
  }

  @Subscription(() => CouponClaimUpdate, {
    subscribe: ({ args, context }) => {
      const { claimResults, viewer } = context as CouponsContext;
      return claimResults.follow(viewer, args.claimId as string);
    },
    description:
      'The final result of an accepted claim, once it is persisted (at once if it already is); then it completes. ' +
      'Only for the claimer: anyone else gets FORBIDDEN once the claim is persisted. Signed-in users (UNAUTHENTICATED otherwise).',
  })
  couponClaimResult(
    @Root() update: ClaimUpdate,
    @Arg('claimId', () => ID, { description: 'The claimId claimCoupon answered with (ACCEPTED).' }) _claimId: string,
  ): ClaimUpdate {
    return update;
  }
}
