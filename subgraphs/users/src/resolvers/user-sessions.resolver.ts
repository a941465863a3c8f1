import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import { actingViewer, type UsersContext } from '../context.js';
import type { SessionView } from '../domain/sessions.js';
import type { UserRecord } from '../domain/users.js';
import { User } from '../schema/user.js';

/** A user's sessions: listed for them (and admins), ended by them. */
@Resolver(() => User)
export class UserSessionsResolver {
  @FieldResolver()
  sessions(@Root() user: UserRecord, @Ctx() context: UsersContext): Promise<SessionView[] | null> {
    return context.sessions.list(actingViewer(context), user, context.sessionId ?? context.signedIn.sessionId);
  }

  @Mutation(() => Boolean, {
    description:
      'Ends one of your sessions (this one too, if you name it): its tokens stop working at once. ' +
      "Anonymous: UNAUTHENTICATED. Someone else's, ended or unknown session: NOT_FOUND.",
  })
  async endSession(
    @Arg('id', () => ID, { description: 'The session id (me.sessions).' }) id: string,
    @Ctx() context: UsersContext,
  ): Promise<boolean> {
    await context.sessions.endOne(context.viewer, id);
    context.logger.info({ sessionId: id }, 'session ended');
    return true;
  }

  @Mutation(() => Int, {
    description:
      'Ends every session of yours but this one (signed in elsewhere: their tokens stop working at once); ' +
      'how many ended. Anonymous: UNAUTHENTICATED.',
  })
  async endOtherSessions(@Ctx() context: UsersContext): Promise<number> {
    const ended = await context.sessions.endOthers(context.viewer, context.sessionId);
    context.logger.info({ endedSessions: ended }, 'other sessions ended');
    return ended;
  }
}
