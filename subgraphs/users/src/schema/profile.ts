import { graphqlEnum } from '@radiata/service-runtime';
import { Field, InputType } from 'type-graphql';
import type { LocaleName } from '../domain/profiles.js';

export const Locale = graphqlEnum<LocaleName>('Locale', 'The language Radiata writes to a user in (emails).', {
  KO: 'Korean (the default).',
  EN: 'English.',
});

@InputType({ description: 'Changes to your profile: only the fields given change.' })
export class UpdateProfileInput {
  @Field(() => String, { nullable: true, description: 'Display name, 1 to 100 characters. Null: unchanged.' })
  name?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Korean mobile number (010, 011, 016, 017, 018 or 019), typed 01012345678, 010-1234-5678 or 010 1234 5678; ' +
      'stored and shown as 010-1234-5678. Null: removes it.',
  })
  phone?: string | null;

  @Field(() => Locale, { nullable: true, description: 'The language of your emails. Null: unchanged.' })
  locale?: LocaleName | null;
}
