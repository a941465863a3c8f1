import type { Role as RoleName } from '@radiata/auth-context';
import { AFTER, connectionType, DateTime, FIRST, graphqlEnum } from '@radiata/service-runtime';
import { ArgsType, Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { PointAccount } from './points.js';

export const Role = graphqlEnum<RoleName>('Role', 'What a user may do on Radiata.', {
  CUSTOMER: 'Shops: claims coupons, buys products.',
  SELLER: 'Owns one or more brands and manages their products and time sales.',
  ADMIN: 'Operates the platform: coupons, categories, settlements, roles.',
});

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A Radiata account: a shopper, a seller or an admin.' })
export class User {
  @Field(() => ID, { description: 'The user id.' })
  id!: string;

  @Field(() => String, {
    nullable: true,
    description:
      "Visible to the user themself and to admins; a seller's email is their public business contact. Null otherwise.",
  })
  email!: string | null;

  @Field(() => String, { description: 'Display name.' })
  name!: string;

  @Field(() => Role, { description: 'What the user may do.' })
  role!: RoleName;

  @Field(() => DateTime, { description: 'When the account was created.' })
  createdAt!: Date;

  @Field(() => PointAccount, {
    nullable: true,
    description: 'Reward points (적립금). Visible to the user themself and to admins; null otherwise.',
  })
  points!: PointAccount | null;
}

export const UserConnection = connectionType(User, { noun: 'user' });

@ArgsType()
export class UsersArgs {
  @Field(() => Role, { nullable: true, description: 'Only users with this role; all roles when omitted.' })
  role?: RoleName | null;

  @Field(() => Int, FIRST)
  first?: number | null;

  @Field(() => String, AFTER)
  after?: string | null;
}

@ArgsType()
export class SetUserRoleArgs {
  @Field(() => ID, { description: 'Whose role.' })
  userId!: string;

  @Field(() => Role, { description: 'The new role.' })
  role!: RoleName;
}
