import { connectionType, DateTime, graphqlEnum } from '@radiata/service-runtime';
import { Field, ID, ObjectType } from 'type-graphql';
import type { CouponIssueStatus as CouponIssueStatusName } from '../generated/prisma/client.js';
import { Coupon } from './coupon.js';

export const CouponIssueStatus = graphqlEnum<CouponIssueStatusName>(
  'CouponIssueStatus',
  'Whether a coupon a shopper holds can still be used.',
  {
    ISSUED: 'Held and usable until expiresAt.',
    USED: 'Used by an order (orderId); ISSUED again if that order is cancelled before it expires.',
    EXPIRED: 'Its expiresAt passed before it was used.',
  },
);

@ObjectType({ description: 'A coupon held by a shopper.' })
export class CouponIssue {
  @Field(() => ID, { description: 'The issue id: what an order uses the coupon by.' })
  id!: string;

  @Field(() => Coupon, {
    description: 'The coupon it was issued from (also after that coupon was deleted: issued coupons stay usable).',
  })
  coupon!: Coupon;

  @Field(() => CouponIssueStatus, { description: 'Whether it can still be used.' })
  status!: CouponIssueStatusName;

  @Field(() => DateTime, { description: 'When the claim that issued it was accepted.' })
  issuedAt!: Date;

  @Field(() => DateTime, {
    description: "When it stops being usable (the coupon's validUntil, or validDays after issuedAt).",
  })
  expiresAt!: Date;

  @Field(() => DateTime, { nullable: true, description: 'When an order used it; null unless USED.' })
  usedAt!: Date | null;

  @Field(() => ID, { nullable: true, description: 'The order that used it; null unless USED.' })
  orderId!: string | null;
}

export const CouponIssueConnection = connectionType(CouponIssue, {
  noun: 'coupon',
  description: "A page of a shopper's coupons.",
});
