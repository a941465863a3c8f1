import { type Connection, PageArgs, ResolveReference } from '@radiata/service-runtime';
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { CatalogContext } from '../context.js';
import type { BrandRecord, UserReference } from '../domain/brands.js';
import type { ProductRecord } from '../domain/products.js';
import { Brand, BrandConnection, CreateBrandInput, UpdateBrandArgs } from '../schema/brand.js';

@Resolver(() => Brand)
export class BrandResolver {
  @ResolveReference()
  reference(reference: { id: string }, context: CatalogContext): Promise<BrandRecord | null> {
    return context.loaders.brandById.load(reference.id);
  }

  @Query(() => Brand, { nullable: true, description: 'A live brand by id; null when there is none.' })
  brand(
    @Arg('id', () => ID, { description: 'The brand id.' }) id: string,
    @Ctx() context: CatalogContext,
  ): Promise<BrandRecord | null> {
    return context.loaders.brandById.load(id);
  }

  @Query(() => BrandConnection, { description: 'Live brands, newest first.' })
  brands(@Args(() => PageArgs) page: PageArgs, @Ctx() context: CatalogContext): Promise<Connection<BrandRecord>> {
    return context.brands.list(page);
  }

  @Mutation(() => Brand, {
    description:
      'SELLER (for themself) or ADMIN (for any seller, with ownerId). Anonymous: UNAUTHENTICATED; ' +
      'anyone else: FORBIDDEN. Name taken: CONFLICT. Invalid input: BAD_USER_INPUT.',
  })
  createBrand(
    @Arg('input', () => CreateBrandInput, { description: 'The new brand.' }) input: CreateBrandInput,
    @Ctx() context: CatalogContext,
  ): Promise<BrandRecord> {
    return context.brands.create(context.viewer, input);
  }

  @Mutation(() => Brand, {
    description:
      "The brand's owner or ADMIN (anonymous: UNAUTHENTICATED; anyone else: FORBIDDEN). Name taken: CONFLICT.",
  })
  updateBrand(@Args(() => UpdateBrandArgs) { id, input }: UpdateBrandArgs, @Ctx() context: CatalogContext) {
    return context.brands.update(context.viewer, id, input);
  }

  @Mutation(() => Boolean, {
    description:
      "Soft delete. The brand's owner or ADMIN (anonymous: UNAUTHENTICATED; anyone else: FORBIDDEN); " +
      'only a brand without live products (CONFLICT otherwise). Always true.',
  })
  async deleteBrand(
    @Arg('id', () => ID, { description: 'The brand id (NOT_FOUND when there is no such live brand).' }) id: string,
    @Ctx() context: CatalogContext,
  ): Promise<boolean> {
    await context.brands.delete(context.viewer, id);
    return true;
  }

  @FieldResolver()
  owner(@Root() brand: BrandRecord): UserReference {
    return { id: brand.ownerId };
  }

  @FieldResolver()
  products(
    @Root() brand: BrandRecord,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() context: CatalogContext,
  ): Promise<Connection<ProductRecord>> {
    return context.productSearch.ofBrand(context.viewer, brand.id, page);
  }
}
