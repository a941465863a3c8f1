import { PageArgs } from '@radiata/service-runtime';
import { Arg, Args, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { UsersContext } from '../context.js';
import type { PointAccountRecord, PointEntryRecord } from '../domain/points.js';
import { AdjustPointsInput, PointAccount, PointEntry } from '../schema/points.js';

@Resolver(() => PointAccount)
export class PointAccountResolver {
  @Mutation(() => PointEntry, { description: "ADMIN only: a manual ADJUST entry in a user's points ledger." })
  adjustPoints(
    @Arg('input', () => AdjustPointsInput, { description: 'Whose points, by how much, and why.' })
    input: AdjustPointsInput,
    @Ctx() context: UsersContext,
  ): Promise<PointEntryRecord> {
    return context.points.adjust(context.viewer, input);
  }

  @FieldResolver()
  balance(@Root() account: PointAccountRecord, @Ctx() context: UsersContext): Promise<number> {
    return context.loaders.pointBalanceByUserId.load(account.userId);
  }

  @FieldResolver()
  history(@Root() account: PointAccountRecord, @Args(() => PageArgs) page: PageArgs, @Ctx() context: UsersContext) {
    return context.points.history(account.userId, page);
  }
}
