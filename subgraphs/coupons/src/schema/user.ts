import { AFTER, FIRST } from '@radiata/service-runtime';
import { ArgsType, Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import type { CouponIssueStatus as CouponIssueStatusName } from '../generated/prisma/client.js';
import { CouponIssueConnection, CouponIssueStatus } from './coupon-issue.js';

// Owned by the users subgraph, which describes the type and its key; coupons adds `coupons`.
@Directive('@key(fields: "id")')
@ObjectType()
export class User {
  @Field(() => ID)
  id!: string;

  @Field(() => CouponIssueConnection, {
    nullable: true,
    description: "The user's coupons, newest first. Only for the user themself and admins (null otherwise).",
  })
  coupons!: unknown;
}

@ArgsType()
export class UserCouponsArgs {
  @Field(() => CouponIssueStatus, { nullable: true, description: 'Only coupons in this status; all when omitted.' })
  status?: CouponIssueStatusName | null;

  @Field(() => Int, FIRST)
  first?: number | null;

  @Field(() => String, AFTER)
  after?: string | null;
}
