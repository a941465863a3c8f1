import { ResolveReference } from '@radiata/service-runtime';
import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { PaymentsContext } from '../context.js';
import type { WalletRecord } from '../domain/wallets.js';
import { canSeeMoneyOf } from '../domain/wallets.js';
import { User, UserPaymentsArgs } from '../schema/user.js';

interface UserReference {
  readonly id: string;
}

@Resolver(() => User)
export class UserResolver {
  /** Any user id: the users subgraph owns users; unknown ones simply have no wallet. */
  @ResolveReference()
  reference(reference: { id: string }): UserReference {
    return { id: reference.id };
  }

  @FieldResolver()
  async wallet(@Root() user: UserReference, @Ctx() context: PaymentsContext): Promise<WalletRecord | null> {
    return canSeeMoneyOf(context.viewer, user.id) ? context.loaders.walletByUserId.load(user.id) : null;
  }

  @FieldResolver()
  payments(
    @Root() user: UserReference,
    @Args(() => UserPaymentsArgs) args: UserPaymentsArgs,
    @Ctx() context: PaymentsContext,
  ) {
    return canSeeMoneyOf(context.viewer, user.id) ? context.payments.ofUser(user.id, args.purpose ?? null, args) : null;
  }
}
