import { badUserInput } from '@radiata/errors';
import { decodeCursor, isId, pageSize, toConnection } from '@radiata/service-runtime';
import type { QueryResolvers } from '../generated/graphql.js';

export const Query: QueryResolvers = {
  coupon: async (_parent, { id }, context) => {
    const coupon = await context.loaders.couponById.load(id);
    return coupon && coupon.deletedAt === null ? coupon : null;
  },

  coupons: async (_parent, { filter, first, after }, context) => {
    const size = pageSize(first);
    const afterId = decodeCursor(after);
    if (afterId !== undefined && !isId(afterId)) throw badUserInput('after is not a valid cursor');
    const now = context.clock.now();
    const state =
      filter?.state === 'UPCOMING'
        ? { issueStartAt: { gt: now } }
        : filter?.state === 'OPEN'
          ? { issueStartAt: { lte: now }, issueEndAt: { gt: now } }
          : filter?.state === 'ENDED'
            ? { issueEndAt: { lte: now } }
            : {};
    const rows = await context.db.coupon.findMany({
      where: { deletedAt: null, ...state, ...(afterId ? { id: { lt: afterId } } : {}) },
      orderBy: { id: 'desc' },
      take: size + 1,
    });
    return toConnection(rows, size, (row) => row.id);
  },
};
