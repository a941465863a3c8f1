import type { CountdownSnapshot } from '../domain/countdown.js';
import type { PriceChangeRecord } from '../domain/price-feed.js';
import type { SubscriptionResolvers } from '../generated/graphql.js';

// Public data: any request the gateway signed may follow it, anonymous shoppers included.
export const Subscription: SubscriptionResolvers = {
  lowestPriceChanged: {
    subscribe: (_parent, { productIds }, context) => context.priceFeed.follow(productIds),
    resolve: (change: PriceChangeRecord) => change,
  },
  timeSaleCountdown: {
    subscribe: (_parent, { timeSaleId }, context) => context.countdowns.follow(timeSaleId),
    resolve: (snapshot: CountdownSnapshot) => snapshot,
  },
};
