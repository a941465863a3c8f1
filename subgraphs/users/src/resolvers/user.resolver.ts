import { ResolveReference } from '@radiata/service-runtime';
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { actingViewer, type UsersContext } from '../context.js';
import type { PointAccountRecord } from '../domain/points.js';
import type { SellerApplicationRecord } from '../domain/seller-applications.js';
import { canSeeEmail, isSelfOrAdmin, type UserRecord } from '../domain/users.js';
import { SetUserRoleArgs, User, UserConnection, UsersArgs } from '../schema/user.js';

@Resolver(() => User)
export class UserResolver {
  @ResolveReference()
  reference(reference: { id: string }, context: UsersContext): Promise<UserRecord | null> {
    return context.loaders.userById.load(reference.id);
  }

  @Query(() => User, { nullable: true, description: 'The signed-in user, or null when anonymous.' })
  me(@Ctx() context: UsersContext): Promise<UserRecord | null> | null {
    return context.viewer ? context.loaders.userById.load(context.viewer.id) : null;
  }

  @Query(() => User, { nullable: true, description: 'ADMIN only. NOT_FOUND for an unknown id.' })
  user(@Arg('id', () => ID, { description: 'The user id.' }) id: string, @Ctx() context: UsersContext) {
    return context.accounts.get(context.viewer, id);
  }

  @Query(() => UserConnection, { description: 'ADMIN only. Newest first.' })
  users(@Args(() => UsersArgs) args: UsersArgs, @Ctx() context: UsersContext) {
    return context.accounts.list(context.viewer, args);
  }

  @Mutation(() => User, { description: "ADMIN only: changes a user's role. Admins cannot demote themselves." })
  async setUserRole(
    @Args(() => SetUserRoleArgs) { userId, role }: SetUserRoleArgs,
    @Ctx() context: UsersContext,
  ): Promise<UserRecord> {
    const user = await context.accounts.setRole(context.viewer, userId, role);
    context.logger.info({ targetUserId: userId, role }, 'role changed');
    return user;
  }

  @Mutation(() => Boolean, {
    description:
      'ADMIN only: deletes an account. Its sessions end at once and it can no longer sign in. Admins cannot delete themselves. NOT_FOUND for an unknown id.',
  })
  async deleteUser(
    @Arg('userId', () => ID, { description: 'Whose account.' }) userId: string,
    @Ctx() context: UsersContext,
  ): Promise<boolean> {
    await context.accounts.delete(context.viewer, userId);
    context.logger.info({ targetUserId: userId }, 'user deleted');
    return true;
  }

  @FieldResolver()
  email(@Root() user: UserRecord, @Ctx() context: UsersContext): string | null {
    return canSeeEmail(actingViewer(context), user) ? user.email : null;
  }

  @FieldResolver()
  points(@Root() user: UserRecord, @Ctx() context: UsersContext): PointAccountRecord | null {
    return isSelfOrAdmin(actingViewer(context), user) ? { userId: user.id } : null;
  }

  @FieldResolver()
  sellerApplications(
    @Root() user: UserRecord,
    @Ctx() context: UsersContext,
  ): Promise<SellerApplicationRecord[]> | null {
    return isSelfOrAdmin(actingViewer(context), user) ? context.loaders.sellerApplicationsByUserId.load(user.id) : null;
  }
}
