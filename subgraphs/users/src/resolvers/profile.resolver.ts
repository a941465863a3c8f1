import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { actingViewer, type UsersContext } from '../context.js';
import type { AddressRecord } from '../domain/address-book.js';
import { type LocaleName, localeOf } from '../domain/profiles.js';
import { isSelfOrAdmin, type UserRecord } from '../domain/users.js';
import { UpdateProfileInput } from '../schema/profile.js';
import { User } from '../schema/user.js';

/** A user's profile and address book: their own and admins' to read, their own to change. */
@Resolver(() => User)
export class ProfileResolver {
  @Mutation(() => User, {
    description:
      'Changes your profile (name, phone, locale): only the fields given. Anonymous: UNAUTHENTICATED. ' +
      'BAD_USER_INPUT names each invalid field.',
  })
  updateProfile(
    @Arg('input', () => UpdateProfileInput, { description: 'The changes.' }) input: UpdateProfileInput,
    @Ctx() context: UsersContext,
  ): Promise<UserRecord> {
    return context.profiles.update(context.viewer, input);
  }

  @FieldResolver()
  phone(@Root() user: UserRecord, @Ctx() context: UsersContext): string | null {
    return isSelfOrAdmin(actingViewer(context), user) ? user.phone : null;
  }

  @FieldResolver()
  locale(@Root() user: UserRecord, @Ctx() context: UsersContext): LocaleName | null {
    return isSelfOrAdmin(actingViewer(context), user) ? localeOf(user) : null;
  }

  @FieldResolver()
  addresses(@Root() user: UserRecord, @Ctx() context: UsersContext): Promise<AddressRecord[]> | null {
    return isSelfOrAdmin(actingViewer(context), user) ? context.loaders.addressesByUserId.load(user.id) : null;
  }

  @FieldResolver()
  async defaultAddress(@Root() user: UserRecord, @Ctx() context: UsersContext): Promise<AddressRecord | null> {
    if (!isSelfOrAdmin(actingViewer(context), user)) return null;
    const addresses = await context.loaders.addressesByUserId.load(user.id);
    return addresses.find((address) => address.isDefault) ?? null;
  }
}
