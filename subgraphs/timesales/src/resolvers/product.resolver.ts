import { ResolveReference } from '@radiata/service-runtime';
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { TimesalesContext } from '../context.js';
import type { ProductReference } from '../domain/catalog/projection.js';
import type { LowestPriceRecord } from '../domain/pricing/lowest-price-rules.js';
import type { TimeSaleProductRecord, TimeSaleRecord } from '../domain/sales/records.js';
import { remainingOf } from '../loaders.js';
import { Product } from '../schema/entities.js';

@Resolver(() => Product)
export class ProductResolver {
  /** Any product id: the catalog owns products; unknown ones simply have no sales and no lowest price. */
  @ResolveReference()
  reference(reference: { id: string }): ProductReference {
    return { id: reference.id };
  }

  @FieldResolver()
  timeSales(@Root() product: ProductReference, @Ctx() context: TimesalesContext): Promise<TimeSaleRecord[]> {
    return context.loaders.openSalesByProductId.load(product.id);
  }

  @FieldResolver()
  async activeTimeSale(
    @Root() product: ProductReference,
    @Ctx() context: TimesalesContext,
  ): Promise<TimeSaleProductRecord | null> {
    const selling = await context.loaders.sellingByProductId.load(product.id);
    return selling && (await remainingOf(context.loaders, selling)) > 0 ? selling : null;
  }

  @FieldResolver()
  lowestPrice(@Root() product: ProductReference, @Ctx() context: TimesalesContext): Promise<LowestPriceRecord | null> {
    return context.loaders.lowestPriceByProductId.load(product.id);
  }
}
