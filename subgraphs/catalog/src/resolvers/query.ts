import { badUserInput } from '@radiata/errors';
import { decodeCursor, isId, pageSize, toConnection } from '@radiata/service-runtime';
import type { QueryResolvers } from '../generated/graphql.js';

export const Query: QueryResolvers = {
  brand: (_parent, { id }, context) => context.loaders.brandById.load(id),

  brands: async (_parent, { first, after }, context) => {
    const size = pageSize(first);
    const afterId = decodeCursor(after);
    if (afterId !== undefined && !isId(afterId)) throw badUserInput('after is not a valid cursor');
    const rows = await context.db.brand.findMany({
      where: { deletedAt: null, ...(afterId ? { id: { lt: afterId } } : {}) },
      orderBy: { id: 'desc' },
      take: size + 1,
    });
    return toConnection(rows, size, (row) => row.id);
  },

  categories: async (_parent, _args, context) => (await context.loaders.categoryTree()).roots(),

  category: async (_parent, { id }, context) => (await context.loaders.categoryTree()).get(id) ?? null,

  product: (_parent, { id }, context) => context.products.find(context.viewer, id),

  products: (_parent, { filter, sort, first, after }, context) =>
    context.productSearch.search(context.viewer, () => context.loaders.categoryTree(), { filter, sort, first, after }),
};
