import type { QueryResolvers } from '../generated/graphql.js';

export const Query: QueryResolvers = {
  timeSale: (_parent, { id }, context) => context.loaders.timeSaleById.load(id),
  timeSales: (_parent, args, context) => context.timeSales.list(args),
};
