import { ResolveReference } from '@radiata/service-runtime';
import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { CouponsContext } from '../context.js';
import { canSeeIssuesOf, type UserReference } from '../domain/issues.js';
import { User, UserCouponsArgs } from '../schema/user.js';

@Resolver(() => User)
export class UserResolver {
  /** Any user id: the users subgraph owns users; unknown ones simply hold no coupons. */
  @ResolveReference()
  reference(reference: { id: string }): UserReference {
    return { id: reference.id };
  }

  @FieldResolver()
  coupons(
    @Root() user: UserReference,
    @Args(() => UserCouponsArgs) args: UserCouponsArgs,
    @Ctx() context: CouponsContext,
  ) {
    return canSeeIssuesOf(context.viewer, user.id) ? context.issues.ofUser(user.id, args) : null;
  }
}
