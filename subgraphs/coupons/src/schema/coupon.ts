import { AFTER, connectionType, DateTime, FIRST, graphqlEnum } from '@radiata/service-runtime';
import { ArgsType, Directive, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import type { CouponState as CouponStateName } from '../domain/coupons.js';
import type { CouponType as CouponTypeName, DiscountType as DiscountTypeName } from '../generated/prisma/client.js';

export const CouponType = graphqlEnum<CouponTypeName>('CouponType', 'How many of a coupon may be issued.', {
  FIRST_COME_FIRST_SERVED: 'A limited total quantity, first come first served.',
  UNLIMITED: 'No total limit; still one per shopper.',
});

export const DiscountType = graphqlEnum<DiscountTypeName>(
  'DiscountType',
  "How a coupon's discount is computed; it is never more than the order amount.",
  {
    RATE: 'discountRate percent of the order amount (rounded down).',
    AMOUNT: 'discountAmount won off the order amount.',
  },
);

export const CouponState = graphqlEnum<CouponStateName>(
  'CouponState',
  "Where a coupon's issue window stands now (by the service clock).",
  {
    UPCOMING: 'The issue window has not started.',
    OPEN: 'Claimable now.',
    ENDED: 'The issue window is over.',
  },
);

@Directive('@key(fields: "id")')
@ObjectType({
  description: 'A discount shoppers claim (one each) during its issue window, then use on an order before it expires.',
})
export class Coupon {
  @Field(() => ID, { description: 'The coupon id.' })
  id!: string;

  @Field(() => String, { description: 'Shown to shoppers; 1 to 100 characters.' })
  title!: string;

  @Field(() => CouponType, { description: 'Whether the coupon has a limited total quantity.' })
  type!: CouponTypeName;

  @Field(() => DiscountType, { description: 'How the discount is computed.' })
  discountType!: DiscountTypeName;

  @Field(() => Int, { nullable: true, description: 'RATE coupons: 1 to 100 (%). Null for AMOUNT coupons.' })
  discountRate!: number | null;

  @Field(() => Int, { nullable: true, description: 'AMOUNT coupons: won off the order. Null for RATE coupons.' })
  discountAmount!: number | null;

  @Field(() => Int, {
    nullable: true,
    description:
      'The smallest order amount the coupon applies to, in won (inclusive); null is no bound. ' +
      'With maxOrderAmount, the order amount range of the coupon.',
  })
  minOrderAmount!: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'The largest order amount the coupon applies to, in won (inclusive); null is no bound.',
  })
  maxOrderAmount!: number | null;

  @Field(() => DateTime, { description: 'Claims are accepted from issueStartAt (inclusive) to issueEndAt.' })
  issueStartAt!: Date;

  @Field(() => DateTime, { description: 'Claims are accepted until issueEndAt (exclusive).' })
  issueEndAt!: Date;

  @Field(() => DateTime, {
    nullable: true,
    description:
      'An issued coupon expires at validUntil, or validDays after it was issued: exactly one of the two is set.',
  })
  validUntil!: Date | null;

  @Field(() => Int, {
    nullable: true,
    description: 'An issued coupon expires this many days after it was issued; null when validUntil is set.',
  })
  validDays!: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'FIRST_COME_FIRST_SERVED only: how many may be issued in all. Null for UNLIMITED coupons.',
  })
  totalQuantity!: number | null;

  @Field(() => Int, { description: 'Claims accepted so far (live, from the claim counter).' })
  claimedQuantity!: number;

  @Field(() => Int, {
    nullable: true,
    description: 'FIRST_COME_FIRST_SERVED only: what is left to claim (live). Null for UNLIMITED coupons.',
  })
  remainingQuantity!: number | null;

  @Field(() => Int, { description: 'Issues persisted so far (follows claimedQuantity within moments).' })
  issuedQuantity!: number;

  @Field(() => CouponState, { description: 'Where the issue window stands now.' })
  state!: CouponStateName;

  @Field(() => DateTime, { description: 'When the coupon was created.' })
  createdAt!: Date;
}

export const CouponConnection = connectionType(Coupon, { noun: 'coupon' });

@InputType({ description: 'A new coupon.' })
export class CreateCouponInput {
  @Field(() => String, { description: 'Shown to shoppers; 1 to 100 characters (trimmed).' })
  title!: string;

  @Field(() => CouponType, {
    description: 'FIRST_COME_FIRST_SERVED needs totalQuantity; UNLIMITED must not have one.',
  })
  type!: CouponTypeName;

  @Field(() => DiscountType, {
    description: 'RATE needs discountRate (and no discountAmount); AMOUNT needs discountAmount (and no discountRate).',
  })
  discountType!: DiscountTypeName;

  @Field(() => Int, { nullable: true, description: 'RATE coupons only: 1 to 100 (%).' })
  discountRate?: number | null;

  @Field(() => Int, { nullable: true, description: 'AMOUNT coupons only: won off the order, at least 1.' })
  discountAmount?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'The smallest order amount the coupon applies to, in won (inclusive); omit for no bound.',
  })
  minOrderAmount?: number | null;

  @Field(() => Int, {
    nullable: true,
    description:
      'The largest order amount the coupon applies to, in won (inclusive), not below minOrderAmount; omit for no bound.',
  })
  maxOrderAmount?: number | null;

  @Field(() => DateTime, { description: 'Claims are accepted from this instant (inclusive).' })
  issueStartAt!: Date;

  @Field(() => DateTime, { description: 'Claims are accepted until this instant (exclusive); after issueStartAt.' })
  issueEndAt!: Date;

  @Field(() => DateTime, {
    nullable: true,
    description:
      'Exactly one of validUntil and validDays. Issued coupons expire at this instant (not before issueEndAt).',
  })
  validUntil?: Date | null;

  @Field(() => Int, {
    nullable: true,
    description:
      'Exactly one of validUntil and validDays. Issued coupons expire this many days (1 to 3650) after they are issued.',
  })
  validDays?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Required for FIRST_COME_FIRST_SERVED (1 to 10,000,000), absent for UNLIMITED.',
  })
  totalQuantity?: number | null;
}

@InputType({
  description:
    'Only the fields given change. The discount is fixed once issuing has started; the quantity never goes below ' +
    'what is claimed.',
})
export class UpdateCouponInput {
  @Field(() => String, { nullable: true, description: 'A new title: 1 to 100 characters (trimmed).' })
  title?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: 'RATE coupons only: 1 to 100 (%). CONFLICT once issuing has started.',
  })
  discountRate?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'AMOUNT coupons only: won off the order, at least 1. CONFLICT once issuing has started.',
  })
  discountAmount?: number | null;

  @Field(() => Int, { nullable: true, description: 'The smallest order amount, in won (inclusive).' })
  minOrderAmount?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'The largest order amount, in won (inclusive); not below minOrderAmount.',
  })
  maxOrderAmount?: number | null;

  @Field(() => DateTime, {
    nullable: true,
    description: 'Claims are accepted from this instant (inclusive); applies to claims at once.',
  })
  issueStartAt?: Date | null;

  @Field(() => DateTime, {
    nullable: true,
    description: 'Claims are accepted until this instant (exclusive); after issueStartAt. Applies to claims at once.',
  })
  issueEndAt?: Date | null;

  @Field(() => DateTime, {
    nullable: true,
    description: 'Issued coupons expire at this instant (not before issueEndAt); replaces validDays.',
  })
  validUntil?: Date | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Issued coupons expire this many days (1 to 3650) after they are issued; replaces validUntil.',
  })
  validDays?: number | null;

  @Field(() => Int, {
    nullable: true,
    description:
      'FIRST_COME_FIRST_SERVED only: 1 to 10,000,000, and not below the claims accepted so far (BAD_USER_INPUT).',
  })
  totalQuantity?: number | null;
}

@InputType({ description: 'Which coupons to list.' })
export class CouponFilter {
  @Field(() => CouponState, { nullable: true, description: 'Only coupons in this state now; all states when omitted.' })
  state?: CouponStateName | null;
}

@ArgsType()
export class CouponsArgs {
  @Field(() => CouponFilter, { nullable: true, description: 'Which coupons; all live ones when omitted.' })
  filter?: CouponFilter | null;

  @Field(() => Int, FIRST)
  first?: number | null;

  @Field(() => String, AFTER)
  after?: string | null;
}

@ArgsType()
export class UpdateCouponArgs {
  @Field(() => ID, { description: 'The coupon to change.' })
  id!: string;

  @Field(() => UpdateCouponInput, { description: 'The fields to change.' })
  input!: UpdateCouponInput;
}
