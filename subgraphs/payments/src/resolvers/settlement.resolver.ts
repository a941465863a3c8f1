import { type Connection, PageArgs } from '@radiata/service-runtime';
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { PaymentsContext } from '../context.js';
import type { SettlementPeriod as Period } from '../domain/settlement/period.js';
import type { SettlementRunRecord } from '../domain/settlement/settlement-runs.js';
import type { SettlementRecord } from '../domain/settlement/settlements.js';
import {
  MySettlementsArgs,
  RUN_PERIOD_ARG,
  Settlement,
  SettlementConnection,
  SettlementPeriod,
  SettlementRun,
  SettlementRunConnection,
  SettlementsArgs,
} from '../schema/settlement.js';

const periodArg = (context: PaymentsContext, startsOn: string | null | undefined): Period | undefined =>
  startsOn === null || startsOn === undefined ? undefined : context.settlementRuns.period(startsOn);

@Resolver(() => Settlement)
export class SettlementResolver {
  @Query(() => SettlementConnection, {
    description:
      "ADMIN only (UNAUTHENTICATED, FORBIDDEN): brands' closed settlements, newest first, of one week and/or one brand.",
  })
  settlements(
    @Args(() => SettlementsArgs) { period, brandId, ...page }: SettlementsArgs,
    @Ctx() context: PaymentsContext,
  ): Promise<Connection<SettlementRecord>> {
    return context.settlements.all(context.viewer, { period: periodArg(context, period), brandId }, page);
  }

  @Query(() => SettlementConnection, {
    description:
      'SELLER only (UNAUTHENTICATED, FORBIDDEN): the closed settlements of the brands you own, newest first.',
  })
  mySettlements(
    @Args(() => MySettlementsArgs) { period, ...page }: MySettlementsArgs,
    @Ctx() context: PaymentsContext,
  ): Promise<Connection<SettlementRecord>> {
    return context.settlements.mine(context.viewer, periodArg(context, period), page);
  }

  @FieldResolver(() => SettlementPeriod)
  period(@Root() settlement: SettlementRecord, @Ctx() context: PaymentsContext): Period {
    return context.settlementRuns.periodOf(settlement.run);
  }

  @FieldResolver()
  brand(@Root() settlement: SettlementRecord) {
    return { id: settlement.brandId };
  }

  @FieldResolver()
  fee(@Root() settlement: SettlementRecord): bigint {
    return settlement.fee ?? 0n;
  }

  @FieldResolver()
  net(@Root() settlement: SettlementRecord): bigint {
    return settlement.net ?? 0n;
  }

  @FieldResolver()
  grade(@Root() settlement: SettlementRecord): string {
    return settlement.grade ?? settlement.run.defaultGrade;
  }

  @FieldResolver()
  feeRatePercent(@Root() settlement: SettlementRecord): number {
    return (settlement.feeRateBp ?? settlement.run.defaultFeeRateBp) / 100;
  }

  @FieldResolver()
  settledAt(@Root() settlement: SettlementRecord): Date {
    return settlement.run.finishedAt ?? settlement.run.startedAt;
  }
}

@Resolver(() => SettlementRun)
export class SettlementRunResolver {
  @Mutation(() => SettlementRun, {
    description:
      'ADMIN only (UNAUTHENTICATED, FORBIDDEN). Settles a week that has ended, every brand at once, and answers at once with ' +
      'the run (poll settlementRun for its progress). Asking again answers the same run: a SUCCEEDED one changes nothing, a ' +
      'FAILED one resumes where it stopped. BAD_USER_INPUT: not a Monday, or the week has not ended; CONFLICT: a later week ' +
      'has a run (it took everything before its end).',
  })
  runSettlement(
    @Arg('period', () => String, { nullable: true, description: RUN_PERIOD_ARG }) period: string | null,
    @Ctx() context: PaymentsContext,
  ): Promise<SettlementRunRecord> {
    return context.settlementRuns.request(context.viewer, period);
  }

  @Query(() => SettlementRunConnection, {
    description: 'ADMIN only (UNAUTHENTICATED, FORBIDDEN): settlement runs, newest first.',
  })
  settlementRuns(@Args(() => PageArgs) page: PageArgs, @Ctx() context: PaymentsContext) {
    return context.settlementRuns.list(context.viewer, page);
  }

  @Query(() => SettlementRun, {
    description: 'ADMIN only (UNAUTHENTICATED, FORBIDDEN): a settlement run and its progress; NOT_FOUND.',
  })
  settlementRun(
    @Arg('id', () => ID, { description: 'The run id.' }) id: string,
    @Ctx() context: PaymentsContext,
  ): Promise<SettlementRunRecord> {
    return context.settlementRuns.get(context.viewer, id);
  }

  @FieldResolver(() => SettlementPeriod)
  period(@Root() run: SettlementRunRecord, @Ctx() context: PaymentsContext): Period {
    return context.settlementRuns.periodOf(run);
  }

  @FieldResolver()
  requestedBy(@Root() run: SettlementRunRecord) {
    return run.requestedBy ? { id: run.requestedBy } : null;
  }

  @FieldResolver()
  settlements(
    @Root() run: SettlementRunRecord,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() context: PaymentsContext,
  ): Promise<Connection<SettlementRecord>> {
    return context.settlements.ofRun(context.viewer, run, page);
  }
}
