import { Arg, Ctx, Directive, FieldResolver, ID, Resolver, Root, Subscription } from 'type-graphql';
import type { TimesalesContext } from '../context.js';
import type { ProductReference } from '../domain/catalog/projection.js';
import type { LowestPriceRecord } from '../domain/pricing/lowest-price-rules.js';
import { MAX_FOLLOWED_PRODUCTS, type PriceChangeRecord } from '../domain/pricing/price-feed.js';
import type { TimeSaleRecord } from '../domain/sales/records.js';
import { LowestPrice } from '../schema/entities.js';
import { LowestPriceChange } from '../schema/live.js';

@Resolver(() => LowestPrice)
export class LowestPriceResolver {
  @FieldResolver()
  timeSale(@Root() price: LowestPriceRecord, @Ctx() context: TimesalesContext): Promise<TimeSaleRecord | null> | null {
    return price.timeSaleId ? context.loaders.timeSaleById.load(price.timeSaleId) : null;
  }
}

@Resolver(() => LowestPriceChange)
export class LowestPriceChangeResolver {
  // Public data: anyone may follow it, anonymous shoppers included. The tag tells the gateway so:
  // it shares one upstream subscription among all shoppers (gateway/src/subscriptions/planner.ts).
  @Directive('@tag(name: "public")')
  @Subscription(() => LowestPriceChange, {
    subscribe: ({ args, context }) => (context as TimesalesContext).priceFeed.follow(args.productIds as string[]),
    description:
      `Live lowest prices of 1 to ${MAX_FOLLOWED_PRODUCTS} products (BAD_USER_INPUT otherwise): first the current one of ` +
      'each product, then one event per change, from any replica. Anyone may follow them, anonymous shoppers included.',
  })
  lowestPriceChanged(
    @Root() change: PriceChangeRecord,
    @Arg('productIds', () => [ID], { description: `The products to follow: 1 to ${MAX_FOLLOWED_PRODUCTS} ids.` })
    _productIds: string[],
  ): PriceChangeRecord {
    return change;
  }

  @FieldResolver()
  product(@Root() change: PriceChangeRecord): ProductReference {
    return { id: change.productId };
  }
}
