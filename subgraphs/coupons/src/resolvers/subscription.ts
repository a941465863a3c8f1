import { requireViewer } from '@radiata/service-runtime';
import type { ClaimUpdate } from '../domain/claims.js';
import type { SubscriptionResolvers } from '../generated/graphql.js';

export const Subscription: SubscriptionResolvers = {
  couponClaimResult: {
    subscribe: (_parent, { claimId }, context) => context.claimResults.follow(requireViewer(context), claimId),
    resolve: (update: ClaimUpdate) => update,
  },
};
