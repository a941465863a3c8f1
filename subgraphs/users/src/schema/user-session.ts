import { DateTime } from '@radiata/service-runtime';
import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType('Session', {
  description: 'One sign-in of a user (a device or browser), live until it is ended or goes unrefreshed too long.',
})
export class UserSession {
  @Field(() => ID, { description: 'The session id: endSession takes it.' })
  id!: string;

  @Field(() => DateTime, { description: 'When it signed in.' })
  createdAt!: Date;

  @Field(() => DateTime, { description: 'When it last signed in or refreshed its tokens.' })
  lastUsedAt!: Date;

  @Field(() => String, {
    nullable: true,
    description: "The browser's or app's User-Agent when it signed in (at most 256 characters); null if it sent none.",
  })
  userAgent!: string | null;

  @Field(() => Boolean, { description: 'True for the session making this request.' })
  current!: boolean;
}
