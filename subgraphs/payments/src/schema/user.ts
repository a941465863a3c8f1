import { AFTER, FIRST } from '@radiata/service-runtime';
import { ArgsType, Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import type { PaymentPurpose as PaymentPurposeName } from '../generated/prisma/client.js';
import { PaymentConnection, PaymentPurpose } from './payment.js';
import { Wallet } from './wallet.js';

// Owned by the users subgraph, which describes the type and its key; payments adds `wallet` and `payments`.
@Directive('@key(fields: "id")')
@ObjectType()
export class User {
  @Field(() => ID)
  id!: string;

  @Field(() => Wallet, {
    nullable: true,
    description:
      'Their Radiata Pay wallet. Only for the user themself and admins; null otherwise or when they have none.',
  })
  wallet!: unknown;

  @Field(() => PaymentConnection, {
    nullable: true,
    description: 'Their payments and top-ups, newest first. Only for the user themself and admins (null otherwise).',
  })
  payments!: unknown;
}

@ArgsType()
export class UserPaymentsArgs {
  @Field(() => PaymentPurpose, { nullable: true, description: 'Only payments of this purpose; all when omitted.' })
  purpose?: PaymentPurposeName | null;

  @Field(() => Int, FIRST)
  first?: number | null;

  @Field(() => String, AFTER)
  after?: string | null;
}
