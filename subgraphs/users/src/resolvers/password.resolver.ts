import { Arg, Args, Ctx, Mutation, Resolver } from 'type-graphql';
import type { UsersContext } from '../context.js';
import { ChangePasswordArgs, ResetPasswordArgs } from '../schema/password.js';

/** Changing a password, and resetting a forgotten one by email. */
@Resolver()
export class PasswordResolver {
  @Mutation(() => Boolean, {
    description:
      "Changes the signed-in user's password and ends their other sessions (this one goes on); a mail tells them. " +
      'Anonymous: UNAUTHENTICATED. Wrong current password: FORBIDDEN (reason WRONG_PASSWORD), counted like a failed ' +
      'log-in (repeated failures: RATE_LIMITED). A new password that breaks the policy or equals the current one: BAD_USER_INPUT.',
  })
  async changePassword(
    @Args(() => ChangePasswordArgs) { currentPassword, newPassword }: ChangePasswordArgs,
    @Ctx() context: UsersContext,
  ): Promise<boolean> {
    const ended = await context.credentials.changePassword(
      context.viewer,
      { currentPassword, newPassword },
      { sessionId: context.sessionId, clientAddress: context.clientAddress },
    );
    context.logger.info({ endedSessions: ended }, 'password changed');
    return true;
  }

  @Mutation(() => Boolean, {
    description:
      'Mails a single-use link to set a new password (valid 30 minutes by default; a newer request voids older links) to the ' +
      'account with this email. Always true, whether or not there is one. Too many requests from one address or for ' +
      'one email: RATE_LIMITED (retryAfterSeconds).',
  })
  async requestPasswordReset(
    @Arg('email', () => String, { description: 'The email of the account.' }) email: string,
    @Ctx() context: UsersContext,
  ): Promise<boolean> {
    await context.credentials.requestReset(email, context.clientAddress);
    return true;
  }

  @Mutation(() => Boolean, {
    description:
      "Sets a new password with a reset link's token and ends every session of the account; a mail tells them. " +
      'Then log in with the new password. An unknown, used, superseded or expired token: BAD_USER_INPUT.',
  })
  async resetPassword(
    @Args(() => ResetPasswordArgs) { token, newPassword }: ResetPasswordArgs,
    @Ctx() context: UsersContext,
  ): Promise<boolean> {
    await context.credentials.resetPassword(token, newPassword);
    context.logger.info('password reset');
    return true;
  }
}
