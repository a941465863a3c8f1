import { notFound } from '@radiata/errors';
import { decodeCursor, isId, pageSize, requireRole, toConnection } from '@radiata/service-runtime';
import type { QueryResolvers } from '../generated/graphql.js';

export const Query: QueryResolvers = {
  me: (_parent, _args, context) => (context.viewer ? context.loaders.userById.load(context.viewer.id) : null),

  user: async (_parent, { id }, context) => {
    requireRole(context, 'ADMIN');
    const user = await context.loaders.userById.load(id);
    if (!user) throw notFound('User');
    return user;
  },

  users: async (_parent, { role, first, after }, context) => {
    requireRole(context, 'ADMIN');
    const size = pageSize(first);
    const afterId = decodeCursor(after);
    if (afterId !== undefined && !isId(afterId)) throw notFound('Cursor');
    const rows = await context.db.user.findMany({
      where: { deletedAt: null, ...(role ? { role } : {}), ...(afterId ? { id: { lt: afterId } } : {}) },
      orderBy: { id: 'desc' },
      take: size + 1,
    });
    return toConnection(rows, size, (row) => row.id);
  },
};
