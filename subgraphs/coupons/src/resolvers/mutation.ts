import { requireRole } from '@radiata/service-runtime';
import type { MutationResolvers } from '../generated/graphql.js';

export const Mutation: MutationResolvers = {
  createCoupon: (_parent, { input }, context) => {
    requireRole(context, 'ADMIN');
    return context.coupons.create(input);
  },
  updateCoupon: (_parent, { id, input }, context) => {
    requireRole(context, 'ADMIN');
    return context.coupons.update(id, input);
  },
  deleteCoupon: async (_parent, { id }, context) => {
    requireRole(context, 'ADMIN');
    await context.coupons.delete(id);
    return true;
  },
  claimCoupon: (_parent, { couponId }, context) => context.claims.claim(context.viewer, couponId),
};
