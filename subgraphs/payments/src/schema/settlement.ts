import { AFTER, connectionType, DateTime, FIRST, graphqlEnum, SafeInt } from '@radiata/service-runtime';
import { ArgsType, Directive, Field, Float, ID, Int, ObjectType } from 'type-graphql';
import type {
  SettlementRunPhase as SettlementRunPhaseName,
  SettlementRunStatus as SettlementRunStatusName,
} from '../generated/prisma/client.js';
import { User } from './user.js';

const PERIOD_ARG =
  'The week, by the date of its Monday in the settlement time zone (YYYY-MM-DD, e.g. "2026-11-23"); ' +
  'BAD_USER_INPUT when it is not a Monday.';

export const SettlementRunStatus = graphqlEnum<SettlementRunStatusName>(
  'SettlementRunStatus',
  'Where a settlement run stands.',
  {
    RUNNING: 'Taking payments and refunds chunk by chunk (resumed where it stopped if its process died).',
    SUCCEEDED: "Closed: its brands' settlements are final and a new request changes nothing.",
    FAILED: 'Stopped after failures in a row (error says so); runSettlement for the period resumes it.',
  },
);

export const SettlementRunPhase = graphqlEnum<SettlementRunPhaseName>('SettlementRunPhase', 'What a run is doing.', {
  PAYMENTS: 'Taking the approved payments, chunk by chunk.',
  REFUNDS: 'Taking the completed refunds, chunk by chunk.',
  TOTALS: 'Closing fees and nets.',
  DONE: 'Done.',
});

@ObjectType({
  description:
    'A settlement week: Monday 00:00 to the next Monday 00:00 in the settlement time zone (Asia/Seoul by default).',
})
export class SettlementPeriod {
  @Field(() => String, { description: 'The Monday it starts on (YYYY-MM-DD): how periods are named in arguments.' })
  startsOn!: string;

  @Field(() => DateTime, { description: 'Its first instant (included).' })
  start!: Date;

  @Field(() => DateTime, { description: 'Its end (excluded): the next Monday 00:00.' })
  end!: Date;
}

@ObjectType({
  description:
    "One brand's settlement for one week: what its items sold for in payments approved by the week's end, less " +
    'refunds completed by then, less the fee. Payments and refunds no earlier settlement took (confirmed late) ' +
    'are included; a refund of a payment settled earlier is taken here, never by rewriting a closed settlement.',
})
export class Settlement {
  @Field(() => ID, { description: 'The settlement id.' })
  id!: string;

  @Field(() => SettlementPeriod, { description: 'The week it settles.' })
  period!: SettlementPeriod;

  @Field(() => Brand, { description: 'The brand paid.' })
  brand!: { id: string };

  @Field(() => SafeInt, { description: "Won: the brand's part of the payments it includes (whole won)." })
  gross!: number;

  @Field(() => SafeInt, { description: "Won: the brand's part of the refunds it includes." })
  refunds!: number;

  @Field(() => SafeInt, { description: 'Won: gross × the fee rate, rounded down.' })
  fee!: number;

  @Field(() => SafeInt, {
    description:
      'Won due to the seller: gross − refunds − fee (negative when refunds exceed the sales: the seller owes it).',
  })
  net!: number;

  @Field(() => String, { description: "The brand's grade when the run started." })
  grade!: string;

  @Field(() => Float, { description: "That grade's fee rate, in percent (e.g. 3.5)." })
  feeRatePercent!: number;

  @Field(() => Int, { description: 'Payments it includes.' })
  paymentCount!: number;

  @Field(() => Int, { description: 'Refunds it includes.' })
  refundCount!: number;

  @Field(() => DateTime, { description: 'When its run closed it.' })
  settledAt!: Date;
}

export const SettlementConnection = connectionType(Settlement, { noun: 'settlement' });

@ObjectType({ description: "A run of the weekly settlement over one period: every brand's settlement at once." })
export class SettlementRun {
  @Field(() => ID, { description: 'The run id.' })
  id!: string;

  @Field(() => SettlementPeriod, { description: 'The week it settles.' })
  period!: SettlementPeriod;

  @Field(() => SettlementRunStatus, { description: 'Where it stands.' })
  status!: SettlementRunStatusName;

  @Field(() => SettlementRunPhase, { description: 'What it is doing.' })
  phase!: SettlementRunPhaseName;

  @Field(() => Int, { description: 'Payments and refunds taken so far.' })
  processed!: number;

  @Field(() => Int, {
    nullable: true,
    description: 'Payments and refunds it takes, counted by its first chunk (null before).',
  })
  total!: number | null;

  @Field(() => User, {
    nullable: true,
    description: 'The ADMIN who asked for it; null: the schedule or the command line.',
  })
  requestedBy!: { id: string } | null;

  @Field(() => DateTime, { description: 'When it was created (by the schedule, the command line or an ADMIN).' })
  startedAt!: Date;

  @Field(() => DateTime, { nullable: true, description: 'When it SUCCEEDED or FAILED.' })
  finishedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Why it FAILED.' })
  error!: string | null;

  @Field(() => SettlementConnection, {
    description: "Its brands' settlements, newest first: empty until it SUCCEEDED.",
  })
  settlements!: unknown;
}

export const SettlementRunConnection = connectionType(SettlementRun, { noun: 'settlement run' });

// Owned by the catalog subgraph; payments adds `settlements`.
@Directive('@key(fields: "id")')
@ObjectType()
export class Brand {
  @Field(() => ID)
  id!: string;

  @Field(() => SettlementConnection, {
    description:
      "The brand's closed weekly settlements, newest first. Only its owner and admins (FORBIDDEN otherwise; " +
      'UNAUTHENTICATED when anonymous).',
  })
  settlements!: unknown;
}

@ArgsType()
export class SettlementPageArgs {
  @Field(() => Int, FIRST)
  first?: number | null;

  @Field(() => String, AFTER)
  after?: string | null;
}

@ArgsType()
export class SettlementsArgs extends SettlementPageArgs {
  @Field(() => String, { nullable: true, description: `${PERIOD_ARG} All weeks when omitted.` })
  period?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only this brand.' })
  brandId?: string | null;
}

@ArgsType()
export class MySettlementsArgs extends SettlementPageArgs {
  @Field(() => String, { nullable: true, description: `${PERIOD_ARG} All weeks when omitted.` })
  period?: string | null;
}

export const RUN_PERIOD_ARG = `${PERIOD_ARG} Default: the last week that has ended.`;
