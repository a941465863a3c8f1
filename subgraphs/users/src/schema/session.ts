import { DateTime } from '@radiata/service-runtime';
import { Field, InputType, ObjectType } from 'type-graphql';
import type { LocaleName } from '../domain/profiles.js';
import { Locale } from './profile.js';
import { User } from './user.js';

@ObjectType({ description: 'Tokens for a session. Send the access token as `Authorization: Bearer <token>`.' })
export class AuthPayload {
  @Field(() => String, { description: 'A short-lived JWT that proves who you are to the gateway.' })
  accessToken!: string;

  @Field(() => DateTime, { description: 'When the access token stops working: refresh before then.' })
  accessTokenExpiresAt!: Date;

  @Field(() => String, {
    description: 'Exchange it at refreshToken for a new pair before it expires. Each refresh token works once.',
  })
  refreshToken!: string;

  @Field(() => DateTime, { description: 'When the refresh token (and so the session) expires.' })
  refreshTokenExpiresAt!: Date;

  @Field(() => User, { description: 'Who is signed in.' })
  user!: User;
}

@InputType({ description: 'A new account.' })
export class SignUpInput {
  @Field(() => String, { description: 'Unique, whatever its case; at most 254 characters.' })
  email!: string;

  @Field(() => String, { description: '8 to 128 characters, with at least one letter and one digit.' })
  password!: string;

  @Field(() => String, { description: 'Display name, 1 to 100 characters.' })
  name!: string;

  @Field(() => Locale, { nullable: true, description: 'The language of your emails: KO (the default) or EN.' })
  locale?: LocaleName | null;
}

@InputType({ description: 'Credentials of an existing account.' })
export class LogInInput {
  @Field(() => String, { description: 'The account email, in any case.' })
  email!: string;

  @Field(() => String, { description: 'The account password.' })
  password!: string;
}
