import { AFTER, FIRST } from '@radiata/service-runtime';
import { ArgsType, Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { OrderConnection } from './order.js';

// Owned by the users subgraph; orders adds `orders`.
@Directive('@key(fields: "id")')
@ObjectType()
export class User {
  @Field(() => ID)
  id!: string;

  @Field(() => OrderConnection, {
    nullable: true,
    description: 'Their orders, newest first. Only for the user themself and admins (null otherwise).',
  })
  orders!: unknown;
}

@ArgsType()
export class UserOrdersArgs {
  @Field(() => Int, FIRST)
  first?: number | null;

  @Field(() => String, AFTER)
  after?: string | null;
}
