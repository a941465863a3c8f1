import { ResolveReference } from '@radiata/service-runtime';
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { TimesalesContext } from '../context.js';
import { isListedTo } from '../domain/sales/listing-rules.js';
import type { TimeSaleProductRecord, TimeSaleRecord } from '../domain/sales/records.js';
import { saleStatus, type TimeSaleStatus as TimeSaleStatusName } from '../domain/sales/window-rules.js';
import { remainingOf } from '../loaders.js';
import { TimeSale, TimeSaleConnection } from '../schema/entities.js';
import { CreateTimeSaleInput, TimeSalesArgs, UpdateTimeSaleArgs } from '../schema/time-sale-inputs.js';

/** Who may manage a sale, said on every mutation of sales and their products. */
export const SALE_MANAGERS =
  'ADMIN, or a SELLER who owns the brand of every product in the sale (an empty sale: its creator); ' +
  'UNAUTHENTICATED when anonymous, FORBIDDEN otherwise.';

@Resolver(() => TimeSale)
export class TimeSaleResolver {
  @ResolveReference()
  reference(reference: { id: string }, context: TimesalesContext): Promise<TimeSaleRecord | null> {
    return context.loaders.timeSaleById.load(reference.id);
  }

  @Query(() => TimeSale, {
    nullable: true,
    description: 'A time sale by id; null when there is none (or it was deleted).',
  })
  timeSale(
    @Arg('id', () => ID, { description: 'The time sale id.' }) id: string,
    @Ctx() context: TimesalesContext,
  ): Promise<TimeSaleRecord | null> {
    return context.loaders.timeSaleById.load(id);
  }

  @Query(() => TimeSaleConnection, { description: 'By startAt, soonest first. Anyone may list them.' })
  timeSales(@Args(() => TimeSalesArgs) args: TimeSalesArgs, @Ctx() context: TimesalesContext) {
    return context.timeSales.list(args);
  }

  @Mutation(() => TimeSale, {
    description: `Creates a time sale, SCHEDULED. ${SALE_MANAGERS} A product at most in one sale at any instant (CONFLICT otherwise). Invalid input or an unknown product: BAD_USER_INPUT.`,
  })
  createTimeSale(
    @Arg('input', () => CreateTimeSaleInput, { description: 'The sale and its products.' }) input: CreateTimeSaleInput,
    @Ctx() context: TimesalesContext,
  ): Promise<TimeSaleRecord> {
    return context.timeSales.create(context.viewer, input);
  }

  @Mutation(() => TimeSale, {
    description: `Changes a time sale (its products' windows move with it). ${SALE_MANAGERS} A product at most in one sale at any instant (CONFLICT otherwise); CONFLICT for a change the sale's phase forbids; NOT_FOUND for an unknown sale.`,
  })
  updateTimeSale(
    @Args(() => UpdateTimeSaleArgs) { id, input }: UpdateTimeSaleArgs,
    @Ctx() context: TimesalesContext,
  ): Promise<TimeSaleRecord> {
    return context.timeSales.update(context.viewer, id, input);
  }

  @Mutation(() => Boolean, {
    description: `Soft delete, only before the sale starts (CONFLICT afterwards). ${SALE_MANAGERS} NOT_FOUND for an unknown sale.`,
  })
  async deleteTimeSale(
    @Arg('id', () => ID, { description: 'The time sale to delete.' }) id: string,
    @Ctx() context: TimesalesContext,
  ): Promise<boolean> {
    await context.timeSales.delete(context.viewer, id);
    return true;
  }

  @FieldResolver()
  async status(@Root() sale: TimeSaleRecord, @Ctx() context: TimesalesContext): Promise<TimeSaleStatusName> {
    const products = await context.loaders.saleProductsBySaleId.load(sale.id);
    const remaining = await Promise.all(products.map((product) => remainingOf(context.loaders, product)));
    return saleStatus(sale, context.clock.now(), remaining);
  }

  @FieldResolver()
  async products(@Root() sale: TimeSaleRecord, @Ctx() context: TimesalesContext): Promise<TimeSaleProductRecord[]> {
    const products = await context.loaders.saleProductsBySaleId.load(sale.id);
    const visibility = await context.loaders.catalogVisibilityByProductId.loadMany(products.map((p) => p.productId));
    return products.filter((_, index) => {
      const known = visibility[index];
      return isListedTo(context.viewer, known instanceof Error ? null : (known ?? null));
    });
  }
}
