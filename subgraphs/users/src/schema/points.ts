import { connectionType, DateTime, graphqlEnum } from '@radiata/service-runtime';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import type { PointEntryType as PointEntryTypeName } from '../generated/prisma/client.js';

export const PointEntryType = graphqlEnum<PointEntryTypeName>('PointEntryType', 'Why a points balance changed.', {
  EARN: 'Earned on a paid order (a credit).',
  USE: 'Spent on an order (a debit).',
  REFUND: 'Given back when an order that used points was cancelled (a credit).',
  EXPIRE: 'Expired unused (a debit).',
  ADJUST: 'A manual correction by an admin (either sign).',
});

@ObjectType({ description: 'One append-only entry of a points ledger.' })
export class PointEntry {
  @Field(() => ID, { description: 'The entry id.' })
  id!: string;

  @Field(() => PointEntryType, { description: 'Why the balance changed.' })
  type!: PointEntryTypeName;

  @Field(() => Int, { description: 'Signed: credits are positive, debits negative.' })
  amount!: number;

  @Field(() => Int, { description: 'The balance right after this entry.' })
  balanceAfter!: number;

  @Field(() => String, { description: 'Why, in words (shown to the user).' })
  reason!: string;

  @Field(() => ID, { nullable: true, description: 'The order that earned, used or refunded the points, if any.' })
  orderId!: string | null;

  @Field(() => DateTime, { description: 'When the entry was written.' })
  createdAt!: Date;
}

export const PointEntryConnection = connectionType(PointEntry, {
  noun: 'ledger entry',
  description: 'A page of ledger entries.',
});

@ObjectType({ description: 'Reward points: 1 point = 1 won off an order.' })
export class PointAccount {
  @Field(() => Int, { description: 'Points available now; never negative.' })
  balance!: number;

  @Field(() => PointEntryConnection, { description: 'Ledger entries, newest first.' })
  history!: unknown;
}

@InputType({ description: "A manual correction of a user's points." })
export class AdjustPointsInput {
  @Field(() => ID, { description: 'Whose points.' })
  userId!: string;

  @Field(() => Int, { description: 'Signed amount in points; the balance never goes below zero.' })
  amount!: number;

  @Field(() => String, { description: 'Why (1 to 200 characters; shown to the user).' })
  reason!: string;
}
