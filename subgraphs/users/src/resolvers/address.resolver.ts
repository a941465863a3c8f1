import { Arg, Args, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { UsersContext } from '../context.js';
import type { AddressRecord } from '../domain/address-book.js';
import { AddAddressInput, Address, UpdateAddressArgs } from '../schema/address.js';

const addressId = () => Arg('id', () => ID, { description: 'One of your addresses (NOT_FOUND for any other id).' });

/** The signed-in user's address book (UNAUTHENTICATED when anonymous); read it on `me { addresses }`. */
@Resolver(() => Address)
export class AddressResolver {
  @Mutation(() => Address, {
    description:
      'Adds a shipping address to your address book (at most 10: CONFLICT past that). The first one becomes the ' +
      'default, as does one added with isDefault. BAD_USER_INPUT names each invalid field.',
  })
  addAddress(
    @Arg('input', () => AddAddressInput, { description: 'The new address.' }) input: AddAddressInput,
    @Ctx() context: UsersContext,
  ): Promise<AddressRecord> {
    return context.addresses.add(context.viewer, input);
  }

  @Mutation(() => Address, {
    description:
      'Changes one of your addresses: only the fields given. Orders placed with it keep the copy they took. ' +
      'NOT_FOUND for an id that is not one of yours; BAD_USER_INPUT names each invalid field.',
  })
  updateAddress(
    @Args(() => UpdateAddressArgs) { id, input }: UpdateAddressArgs,
    @Ctx() context: UsersContext,
  ): Promise<AddressRecord> {
    return context.addresses.update(context.viewer, id, input);
  }

  @Mutation(() => Boolean, {
    description:
      'Removes one of your addresses. Removing the default makes your most recently added other address the default. ' +
      'NOT_FOUND for an id that is not one of yours (removed already included).',
  })
  async removeAddress(@addressId() id: string, @Ctx() context: UsersContext): Promise<boolean> {
    await context.addresses.remove(context.viewer, id);
    return true;
  }

  @Mutation(() => Address, {
    description:
      'Makes one of your addresses the default (the previous default no longer is). NOT_FOUND for any other id.',
  })
  setDefaultAddress(@addressId() id: string, @Ctx() context: UsersContext): Promise<AddressRecord> {
    return context.addresses.setDefault(context.viewer, id);
  }
}
