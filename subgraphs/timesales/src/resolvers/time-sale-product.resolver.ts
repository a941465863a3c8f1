import { notFound } from '@radiata/errors';
import { ResolveReference } from '@radiata/service-runtime';
import { Args, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { TimesalesContext } from '../context.js';
import type { ProductReference } from '../domain/catalog/projection.js';
import type { TimeSaleProductRecord, TimeSaleRecord } from '../domain/sales/records.js';
import { sellingWindow } from '../domain/sales/window-rules.js';
import { remainingOf, soldOf } from '../loaders.js';
import { TimeSaleProduct } from '../schema/entities.js';
import { AddTimeSaleProductArgs, UpdateTimeSaleProductArgs } from '../schema/time-sale-inputs.js';
import { SALE_MANAGERS } from './time-sale.resolver.js';

@Resolver(() => TimeSaleProduct)
export class TimeSaleProductResolver {
  @ResolveReference()
  reference(reference: { id: string }, context: TimesalesContext): Promise<TimeSaleProductRecord | null> {
    return context.loaders.saleProductById.load(reference.id);
  }

  @Mutation(() => TimeSaleProduct, {
    description: `Adds a product to a time sale; not once the sale has ended (CONFLICT). ${SALE_MANAGERS} The SELLER must also own the product's brand. A product at most in one sale at any instant (CONFLICT otherwise). NOT_FOUND for an unknown sale; BAD_USER_INPUT for invalid input or an unknown product.`,
  })
  addTimeSaleProduct(
    @Args(() => AddTimeSaleProductArgs) { timeSaleId, input }: AddTimeSaleProductArgs,
    @Ctx() context: TimesalesContext,
  ): Promise<TimeSaleProductRecord> {
    return context.saleProducts.add(context.viewer, timeSaleId, input);
  }

  @Mutation(() => TimeSaleProduct, {
    description: `Changes the terms of a product in a time sale. ${SALE_MANAGERS} A product at most in one sale at any instant (CONFLICT otherwise); CONFLICT for a change that would hurt shoppers once it sells, or once the sale ended; NOT_FOUND for an unknown sale product.`,
  })
  updateTimeSaleProduct(
    @Args(() => UpdateTimeSaleProductArgs) { id, input }: UpdateTimeSaleProductArgs,
    @Ctx() context: TimesalesContext,
  ): Promise<TimeSaleProductRecord> {
    return context.saleProducts.update(context.viewer, id, input);
  }

  @FieldResolver()
  async timeSale(
    @Root() saleProduct: TimeSaleProductRecord,
    @Ctx() context: TimesalesContext,
  ): Promise<TimeSaleRecord> {
    const sale = await context.loaders.timeSaleById.load(saleProduct.timeSaleId);
    if (!sale) throw notFound('Time sale');
    return sale;
  }

  @FieldResolver()
  product(@Root() saleProduct: TimeSaleProductRecord): ProductReference {
    return { id: saleProduct.productId };
  }

  @FieldResolver()
  soldQuantity(@Root() saleProduct: TimeSaleProductRecord, @Ctx() context: TimesalesContext): Promise<number> {
    return soldOf(context.loaders, saleProduct);
  }

  @FieldResolver()
  remainingQuantity(@Root() saleProduct: TimeSaleProductRecord, @Ctx() context: TimesalesContext): Promise<number> {
    return remainingOf(context.loaders, saleProduct);
  }

  @FieldResolver()
  startAt(@Root() saleProduct: TimeSaleProductRecord): Date {
    return sellingWindow(saleProduct).startAt;
  }

  @FieldResolver()
  endAt(@Root() saleProduct: TimeSaleProductRecord): Date {
    return sellingWindow(saleProduct).endAt;
  }
}
