import { ArgsType, Field } from 'type-graphql';

@ArgsType()
export class ChangePasswordArgs {
  @Field(() => String, { description: 'The password now.' })
  currentPassword!: string;

  @Field(() => String, {
    description: 'The new password: 8 to 128 characters, with a letter and a digit, not the current one.',
  })
  newPassword!: string;
}

@ArgsType()
export class ResetPasswordArgs {
  @Field(() => String, { description: "The token of the reset link's `?token=` (the mail from requestPasswordReset)." })
  token!: string;

  @Field(() => String, { description: 'The new password: 8 to 128 characters, with a letter and a digit.' })
  newPassword!: string;
}
