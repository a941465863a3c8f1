import { graphqlEnum } from '@radiata/service-runtime';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { ClaimOutcome as ClaimOutcomeName, ClaimUpdate } from '../domain/claims.js';
import { CouponIssue } from './coupon-issue.js';

export const ClaimOutcome = graphqlEnum<ClaimOutcomeName>(
  'ClaimOutcome',
  'The answer to a claim: final as soon as it is given.',
  {
    ACCEPTED: 'The claim is durably recorded: the coupon is yours. ISSUED follows (couponClaimResult).',
    SOLD_OUT: 'FIRST_COME_FIRST_SERVED: the total quantity has been claimed.',
    ALREADY_CLAIMED: 'You hold a claim on this coupon already (one per shopper).',
    NOT_OPEN_YET: 'The issue window has not started (before issueStartAt).',
    CLOSED: 'The issue window is over (from issueEndAt on).',
    NOT_FOUND: 'No such coupon, or it was deleted.',
    RATE_LIMITED: 'Too many claims in a short time: wait retryAfterMs.',
  },
);

@ObjectType({ description: 'The answer to claimCoupon.' })
export class ClaimCouponResult {
  @Field(() => ClaimOutcome, { description: 'What became of the claim.' })
  outcome!: ClaimOutcomeName;

  @Field(() => ID, {
    nullable: true,
    description: 'ACCEPTED only: follow it with the couponClaimResult subscription.',
  })
  claimId!: string | null;

  @Field(() => Int, { nullable: true, description: 'RATE_LIMITED only: milliseconds to wait before claiming again.' })
  retryAfterMs!: number | null;
}

export const ClaimStatus = graphqlEnum<ClaimUpdate['status']>('ClaimStatus', 'Where an accepted claim stands.', {
  ISSUED: "Persisted: the coupon is among the claimer's coupons (User.coupons).",
});

@ObjectType({ description: 'The final result of an accepted claim, for its claimer.' })
export class CouponClaimUpdate {
  @Field(() => ID, { description: 'The claim: the claimId claimCoupon answered with.' })
  claimId!: string;

  @Field(() => ClaimStatus, { description: 'ISSUED once the claim is persisted.' })
  status!: ClaimUpdate['status'];

  @Field(() => CouponIssue, { description: 'The coupon issued to the claimer.' })
  issue!: CouponIssue;
}
