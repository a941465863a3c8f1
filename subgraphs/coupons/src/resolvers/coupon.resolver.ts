import { ResolveReference } from '@radiata/service-runtime';
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { CouponsContext } from '../context.js';
import { type CouponRecord, type CouponState, couponState, remainingOf } from '../domain/coupons.js';
import { Coupon, CouponConnection, CouponsArgs, CreateCouponInput, UpdateCouponArgs } from '../schema/coupon.js';

@Resolver(() => Coupon)
export class CouponResolver {
  /** Deleted coupons too: what another subgraph refers to was a coupon once (issued ones stay usable). */
  @ResolveReference()
  reference(reference: { id: string }, context: CouponsContext): Promise<CouponRecord | null> {
    return context.loaders.couponById.load(reference.id);
  }

  @Query(() => Coupon, {
    nullable: true,
    description: 'A coupon by id; null for an unknown or deleted one. Anyone may read it.',
  })
  coupon(
    @Arg('id', () => ID, { description: 'The coupon id.' }) id: string,
    @Ctx() context: CouponsContext,
  ): Promise<CouponRecord | null> {
    return context.coupons.find(id);
  }

  @Query(() => CouponConnection, {
    description:
      'Coupons that are not deleted, newest first. Anyone may list them. BAD_USER_INPUT for an invalid page.',
  })
  coupons(@Args(() => CouponsArgs) { filter, first, after }: CouponsArgs, @Ctx() context: CouponsContext) {
    return context.coupons.list({ state: filter?.state ?? null, first, after });
  }

  @Mutation(() => Coupon, {
    description: 'ADMIN only (FORBIDDEN otherwise). Invalid input: BAD_USER_INPUT, with every problem by field.',
  })
  createCoupon(
    @Arg('input', () => CreateCouponInput, { description: 'The coupon.' }) input: CreateCouponInput,
    @Ctx() context: CouponsContext,
  ): Promise<CouponRecord> {
    return context.coupons.create(context.viewer, input);
  }

  @Mutation(() => Coupon, {
    description:
      'ADMIN only (FORBIDDEN otherwise). NOT_FOUND for an unknown or deleted coupon; CONFLICT for a discount change ' +
      'once issuing has started; BAD_USER_INPUT for invalid input or a quantity below what is claimed.',
  })
  updateCoupon(
    @Args(() => UpdateCouponArgs) { id, input }: UpdateCouponArgs,
    @Ctx() context: CouponsContext,
  ): Promise<CouponRecord> {
    return context.coupons.update(context.viewer, id, input);
  }

  @Mutation(() => Boolean, {
    description:
      'ADMIN only (FORBIDDEN otherwise). Soft delete: the coupon can no longer be claimed; issued ones stay usable. ' +
      'NOT_FOUND for an unknown or already deleted coupon.',
  })
  async deleteCoupon(
    @Arg('id', () => ID, { description: 'The coupon to delete.' }) id: string,
    @Ctx() context: CouponsContext,
  ): Promise<boolean> {
    await context.coupons.delete(context.viewer, id);
    return true;
  }

  @FieldResolver()
  claimedQuantity(@Root() coupon: CouponRecord, @Ctx() context: CouponsContext): Promise<number> {
    return context.loaders.claimedByCouponId.load(coupon.id);
  }

  @FieldResolver()
  async remainingQuantity(@Root() coupon: CouponRecord, @Ctx() context: CouponsContext): Promise<number | null> {
    if (coupon.totalQuantity === null) return null;
    return remainingOf(coupon, await context.loaders.claimedByCouponId.load(coupon.id));
  }

  @FieldResolver()
  state(@Root() coupon: CouponRecord, @Ctx() context: CouponsContext): CouponState {
    return couponState(coupon, context.clock.now());
  }
}
