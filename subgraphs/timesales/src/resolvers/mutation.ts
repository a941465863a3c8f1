import { requireRole } from '@radiata/service-runtime';
import type { MutationResolvers } from '../generated/graphql.js';

// Sale managers are ADMINs and SELLERs; which sales a SELLER may manage the domain decides.
export const Mutation: MutationResolvers = {
  createTimeSale: (_parent, { input }, context) =>
    context.timeSales.create(requireRole(context, 'ADMIN', 'SELLER'), input),
  updateTimeSale: (_parent, { id, input }, context) =>
    context.timeSales.update(requireRole(context, 'ADMIN', 'SELLER'), id, input),
  deleteTimeSale: async (_parent, { id }, context) => {
    await context.timeSales.delete(requireRole(context, 'ADMIN', 'SELLER'), id);
    return true;
  },
  addTimeSaleProduct: (_parent, { timeSaleId, input }, context) =>
    context.saleProducts.add(requireRole(context, 'ADMIN', 'SELLER'), timeSaleId, input),
  updateTimeSaleProduct: (_parent, { id, input }, context) =>
    context.saleProducts.update(requireRole(context, 'ADMIN', 'SELLER'), id, input),
};
