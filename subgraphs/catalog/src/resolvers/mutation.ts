import { requireRole } from '@radiata/service-runtime';
import type { MutationResolvers } from '../generated/graphql.js';

export const Mutation: MutationResolvers = {
  createBrand: (_parent, { input }, context) => context.brands.create(context.viewer, input),
  updateBrand: (_parent, { id, input }, context) => context.brands.update(context.viewer, id, input),
  deleteBrand: async (_parent, { id }, context) => {
    await context.brands.delete(context.viewer, id);
    return true;
  },

  createCategory: (_parent, { input }, context) => {
    requireRole(context, 'ADMIN');
    return context.categories.create(input);
  },
  renameCategory: (_parent, { id, name }, context) => {
    requireRole(context, 'ADMIN');
    return context.categories.rename(id, name);
  },
  deleteCategory: async (_parent, { id }, context) => {
    requireRole(context, 'ADMIN');
    await context.categories.delete(id);
    return true;
  },

  createProduct: (_parent, { input }, context) => context.products.create(context.viewer, input),
  updateProduct: (_parent, { id, input }, context) => context.products.update(context.viewer, id, input),
  deleteProduct: async (_parent, { id }, context) => {
    await context.products.delete(context.viewer, id);
    return true;
  },
  adjustStock: (_parent, { productId, delta }, context) =>
    context.products.adjustStock(context.viewer, productId, delta),
};
