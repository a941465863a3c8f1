import { type Connection, ResolveReference } from '@radiata/service-runtime';
import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { PaymentsContext } from '../context.js';
import type { SettlementRecord } from '../domain/settlement/settlements.js';
import { Brand, SettlementPageArgs } from '../schema/settlement.js';

interface BrandReference {
  readonly id: string;
}

@Resolver(() => Brand)
export class BrandResolver {
  /** Any brand id: the catalog owns brands; one never settled simply has no settlements. */
  @ResolveReference()
  reference(reference: { id: string }): BrandReference {
    return { id: reference.id };
  }

  @FieldResolver()
  settlements(
    @Root() brand: BrandReference,
    @Args(() => SettlementPageArgs) page: SettlementPageArgs,
    @Ctx() context: PaymentsContext,
  ): Promise<Connection<SettlementRecord>> {
    return context.settlements.ofBrand(context.viewer, brand.id, page);
  }
}
