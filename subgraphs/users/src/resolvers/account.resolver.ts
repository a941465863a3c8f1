import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { UsersContext } from '../context.js';
import { User } from '../schema/user.js';

/** What a user does to their own account as a whole. */
@Resolver(() => User)
export class AccountResolver {
  @Mutation(() => Boolean, {
    description:
      'Deletes your own account for good: your email, password, name, phone and addresses are erased, ' +
      'your sessions end at once, and the same email may sign up again as a new account; points, orders ' +
      'and payments stay for accounting under the anonymised id. Anonymous: UNAUTHENTICATED. Wrong ' +
      'password: FORBIDDEN (reason WRONG_PASSWORD), counted like a failed log-in (RATE_LIMITED when ' +
      'repeated). Admins and sellers: FORBIDDEN (an admin closes those). Orders not yet delivered, ' +
      'cancelled or refunded, or money in your wallet: CONFLICT with `extensions.reasons` ' +
      '(ORDERS_IN_FLIGHT with count, WALLET_BALANCE with amount), and nothing changes.',
  })
  async deleteAccount(
    @Arg('password', () => String, { description: 'Your current password.' }) password: string,
    @Ctx() context: UsersContext,
  ): Promise<boolean> {
    await context.accountDeletion.deleteOwn(context.viewer, password, context.clientAddress);
    context.logger.info({ userId: context.viewer?.id }, 'account deleted by its owner');
    return true;
  }
}
