import { DateTime } from '@radiata/service-runtime';
import { ArgsType, Field, ID, InputType, ObjectType } from 'type-graphql';

@ObjectType({ description: "A shipping address in a user's address book." })
export class Address {
  @Field(() => ID, { description: 'The address id (placeOrder takes it as shippingAddressId).' })
  id!: string;

  @Field(() => String, { nullable: true, description: 'Your name for it ("Home", "Office"), if any.' })
  label!: string | null;

  @Field(() => String, { description: 'Who receives deliveries there.' })
  recipient!: string;

  @Field(() => String, { description: "The recipient's Korean mobile number, 010-1234-5678." })
  phone!: string;

  @Field(() => String, { description: 'The 5-digit postal code.' })
  zipCode!: string;

  @Field(() => String, { description: 'The road-name address.' })
  roadAddress!: string;

  @Field(() => String, { description: 'Building, floor, unit (may be empty).' })
  detailAddress!: string;

  @Field(() => Boolean, { description: 'Whether it is the default address (exactly one is, while there are any).' })
  isDefault!: boolean;

  @Field(() => DateTime, { description: 'When it was added.' })
  createdAt!: Date;

  @Field(() => DateTime, { description: 'When it last changed.' })
  updatedAt!: Date;
}

const PHONE =
  'Korean mobile number (010, 011, 016, 017, 018 or 019), typed 01012345678, 010-1234-5678 or 010 1234 5678; stored as 010-1234-5678.';

@InputType({ description: 'A new shipping address.' })
export class AddAddressInput {
  @Field(() => String, { nullable: true, description: 'Your name for it, at most 20 characters (none when blank).' })
  label?: string | null;

  @Field(() => String, { description: 'Who receives deliveries there, 1 to 50 characters.' })
  recipient!: string;

  @Field(() => String, { description: PHONE })
  phone!: string;

  @Field(() => String, { description: 'The 5-digit postal code.' })
  zipCode!: string;

  @Field(() => String, { description: 'The road-name address, 1 to 200 characters.' })
  roadAddress!: string;

  @Field(() => String, { nullable: true, description: 'Building, floor, unit: at most 200 characters.' })
  detailAddress?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Make it the default address (the first address always becomes the default).',
  })
  isDefault?: boolean | null;
}

@InputType({ description: 'Changes to an address: only the fields given change.' })
export class UpdateAddressInput {
  @Field(() => String, { nullable: true, description: 'At most 20 characters; null or blank removes the label.' })
  label?: string | null;

  @Field(() => String, { nullable: true, description: '1 to 50 characters. Null: unchanged.' })
  recipient?: string | null;

  @Field(() => String, { nullable: true, description: `${PHONE} Null: unchanged.` })
  phone?: string | null;

  @Field(() => String, { nullable: true, description: 'The 5-digit postal code. Null: unchanged.' })
  zipCode?: string | null;

  @Field(() => String, { nullable: true, description: '1 to 200 characters. Null: unchanged.' })
  roadAddress?: string | null;

  @Field(() => String, { nullable: true, description: 'At most 200 characters; null empties it.' })
  detailAddress?: string | null;
}

@ArgsType()
export class UpdateAddressArgs {
  @Field(() => ID, { description: 'One of your addresses (NOT_FOUND for any other id).' })
  id!: string;

  @Field(() => UpdateAddressInput, { description: 'The changes.' })
  input!: UpdateAddressInput;
}
