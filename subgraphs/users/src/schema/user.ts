import type { Role as RoleName } from '@radiata/auth-context';
import { AFTER, connectionType, DateTime, FIRST, graphqlEnum } from '@radiata/service-runtime';
import { ArgsType, Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import type { LocaleName } from '../domain/profiles.js';
import { Address } from './address.js';
import { PointAccount } from './points.js';
import { Locale } from './profile.js';
import { SellerApplication } from './seller-application.js';
import { UserSession } from './user-session.js';

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

  @Field(() => [UserSession], {
    nullable: true,
    description:
      'Live sessions (sign-ins not ended or expired), newest first, at most 100. Visible to the user themself (`current` marks theirs) and to admins; null otherwise.',
  })
  sessions!: UserSession[] | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Korean mobile number, 010-1234-5678, if given. Visible to the user themself and to admins; null otherwise.',
  })
  phone!: string | null;

  @Field(() => Locale, {
    nullable: true,
    description:
      'The language Radiata writes to the user in. Visible to the user themself and to admins; null otherwise.',
  })
  locale!: LocaleName | null;

  @Field(() => [Address], {
    nullable: true,
    description:
      'The address book: at most 10 shipping addresses, the default first, then the newest. Visible to the user themself and to admins; null otherwise.',
  })
  addresses!: Address[] | null;

  @Field(() => Address, {
    nullable: true,
    description:
      'The default shipping address (null when there is none). Visible to the user themself and to admins; null otherwise.',
  })
  defaultAddress!: Address | null;

  @Field(() => [SellerApplication], {
    nullable: true,
    description:
      'Applications to become a seller, newest first, with their decisions. Visible to the user themself and to admins; null otherwise.',
  })
  sellerApplications!: SellerApplication[] | null;
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
