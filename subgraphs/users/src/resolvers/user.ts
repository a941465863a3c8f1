import { actingViewer } from '../context.js';
import { canSeeEmail, isSelfOrAdmin } from '../domain/users.js';
import type { PointAccountResolvers, UserResolvers } from '../generated/graphql.js';

export const User: UserResolvers = {
  __resolveReference: (reference, context) => context.loaders.userById.load(reference.id),
  email: (user, _args, context) => (canSeeEmail(actingViewer(context), user) ? user.email : null),
  points: (user, _args, context) => (isSelfOrAdmin(actingViewer(context), user) ? { userId: user.id } : null),
};

export const PointAccount: PointAccountResolvers = {
  balance: (account, _args, context) => context.loaders.pointBalanceByUserId.load(account.userId),
  history: (account, { first, after }, context) => context.points.history(account.userId, first, after),
};
