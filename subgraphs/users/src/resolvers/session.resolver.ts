import { validateInput } from '@radiata/service-runtime';
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { z } from 'zod';
import type { UsersContext } from '../context.js';
import type { Session } from '../domain/sessions.js';
import { AuthPayload, LogInInput, SignUpInput } from '../schema/session.js';

/** The session this request just started: its user may read their own fields of the answer. */
function signedIn(context: UsersContext, session: Session): Session {
  context.signedIn.viewer = { id: session.user.id, role: session.user.role };
  context.signedIn.sessionId = session.sessionId;
  return session;
}

const refreshTokenArgument = z.string().min(1, 'must not be empty').max(512, 'is not a refresh token');

@Resolver(() => AuthPayload)
export class SessionResolver {
  @Mutation(() => AuthPayload, {
    description:
      'Creates a CUSTOMER account and signs it in. Email taken: CONFLICT. Invalid input: BAD_USER_INPUT. Too many sign-ups from one address: RATE_LIMITED (retryAfterSeconds).',
  })
  async signUp(
    @Arg('input', () => SignUpInput, { description: 'The new account.' }) input: SignUpInput,
    @Ctx() context: UsersContext,
  ): Promise<Session> {
    await context.throttles.signUp(context.clientAddress);
    const user = await context.accounts.signUp(input);
    return signedIn(context, await context.sessions.start(user, { userAgent: context.userAgent }));
  }

  @Mutation(() => AuthPayload, {
    description:
      'Wrong password and unknown email both answer UNAUTHENTICATED. Repeated failures: RATE_LIMITED with retryAfterSeconds (a growing wait, then a temporary lock).',
  })
  async logIn(
    @Arg('input', () => LogInInput, { description: 'Email and password.' }) input: LogInInput,
    @Ctx() context: UsersContext,
  ): Promise<Session> {
    const user = await context.throttles.logIn(input.email, context.clientAddress, () =>
      context.accounts.authenticate(input.email, input.password),
    );
    return signedIn(context, await context.sessions.start(user, { userAgent: context.userAgent }));
  }

  @Mutation(() => AuthPayload, {
    description:
      'Rotates the refresh token. Presenting an already-used token revokes that whole session. Too many from one address: RATE_LIMITED.',
  })
  async refreshToken(
    @Arg('refreshToken', () => String, { description: 'The refresh token of the latest AuthPayload.' })
    refreshToken: string,
    @Ctx() context: UsersContext,
  ): Promise<Session> {
    await context.throttles.refresh(context.clientAddress);
    const token = validateInput(refreshTokenArgument, refreshToken, 'refreshToken');
    return signedIn(context, await context.sessions.refresh(token));
  }

  @Mutation(() => Boolean, { description: 'Ends the session the refresh token belongs to. Idempotent.' })
  async logOut(
    @Arg('refreshToken', () => String, { description: 'A refresh token of the session to end.' }) refreshToken: string,
    @Ctx() context: UsersContext,
  ): Promise<boolean> {
    await context.sessions.end(validateInput(refreshTokenArgument, refreshToken, 'refreshToken'));
    return true;
  }
}
