import { ResolveReference } from '@radiata/service-runtime';
import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { OrdersContext } from '../context.js';
import { User, UserOrdersArgs } from '../schema/user.js';

@Resolver(() => User)
export class UserResolver {
  /** Any user id: the users subgraph owns users; unknown ones simply have no orders. */
  @ResolveReference()
  reference(reference: { id: string }): { id: string } {
    return { id: reference.id };
  }

  @FieldResolver()
  orders(
    @Root() user: { id: string },
    @Args(() => UserOrdersArgs) args: UserOrdersArgs,
    @Ctx() context: OrdersContext,
  ) {
    return context.orders.ofUser(context.viewer, user.id, args);
  }
}
