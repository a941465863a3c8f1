import { badUserInput, notFound } from '@radiata/errors';
import { isId, requireRole, validateInput } from '@radiata/service-runtime';
import { z } from 'zod';
import type { UsersContext } from '../context.js';
import { InsufficientPointsError } from '../domain/points.js';
import type { Session } from '../domain/sessions.js';
import type { MutationResolvers } from '../generated/graphql.js';

function signedIn(context: UsersContext, session: Session): Session {
  context.signedIn.viewer = { id: session.user.id, role: session.user.role };
  return session;
}

const refreshTokenArgument = z.string().min(1, 'must not be empty').max(512, 'is not a refresh token');

export const Mutation: MutationResolvers = {
  signUp: async (_parent, { input }, context) => {
    const user = await context.accounts.signUp(input);
    return signedIn(context, await context.sessions.start(user));
  },

  logIn: async (_parent, { input }, context) => {
    const user = await context.accounts.authenticate(input.email, input.password);
    return signedIn(context, await context.sessions.start(user));
  },

  refreshToken: async (_parent, args, context) =>
    signedIn(
      context,
      await context.sessions.refresh(validateInput(refreshTokenArgument, args.refreshToken, 'refreshToken')),
    ),

  logOut: async (_parent, args, context) => {
    await context.sessions.end(validateInput(refreshTokenArgument, args.refreshToken, 'refreshToken'));
    return true;
  },

  setUserRole: async (_parent, { userId, role }, context) => {
    const admin = requireRole(context, 'ADMIN');
    if (!isId(userId)) throw notFound('User');
    if (userId === admin.id && role !== 'ADMIN') throw badUserInput('Admins cannot remove their own admin role');
    const { count } = await context.db.user.updateMany({ where: { id: userId, deletedAt: null }, data: { role } });
    if (count === 0) throw notFound('User');
    context.logger.info({ targetUserId: userId, role }, 'role changed');
    return context.db.user.findUniqueOrThrow({ where: { id: userId } });
  },

  adjustPoints: async (_parent, { input }, context) => {
    requireRole(context, 'ADMIN');
    try {
      return await context.points.apply({
        userId: input.userId,
        type: 'ADJUST',
        amount: input.amount,
        reason: input.reason,
      });
    } catch (error) {
      if (error instanceof InsufficientPointsError) {
        throw badUserInput(`The balance is ${error.balance}; it cannot go below zero`, [
          { field: 'input.amount', message: 'would make the balance negative' },
        ]);
      }
      throw error;
    }
  },
};
